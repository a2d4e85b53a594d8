extern alias generator;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using BpfObjectGenerator = generator::CSharpBpf.Generator.BpfObjectGenerator;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Runs the generator in-process on source text, as the compiler does in a build.</summary>
public static class GeneratorHarness
{
    /// <summary>The framework and CSharpBpf, as a user's project references them.</summary>
    public static MetadataReference[] References => references.Value;

    private static readonly Lazy<MetadataReference[]> references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(XdpContext).Assembly.Location)
            .Append(typeof(CSharpBpf.Bytecode.Classic.ClassicProgram).Assembly.Location) // the package ships it in lib/ too
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("Snippet",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"File{i}.cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(new[] { new BpfObjectGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The analyzers' diagnostics for one snippet (a [BpfObject] class with the usings it needs): what the
    /// IDE shows and what fails the build.</summary>
    public static ImmutableArray<Diagnostic> Diagnostics(string source) => AnalyzerDiagnostics(Compile(Usings + source));

    /// <summary>The analyzers' diagnostics for a whole compilation.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CSharpBpf.Analyzers.BpfObjectAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>The ELF object the generator embeds in the skeleton of the one [BpfObject] class of <paramref name="source"/>
    /// (complete, with its usings).</summary>
    public static byte[] ObjectFile(string source)
    {
        var generated = CreateDriver().RunGenerators(Compile(source)).GetRunResult().GeneratedTrees;
        return Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(Xunit.Assert.Single(generated).ToString(), "ObjectFileBase64 = \"([^\"]+)\"").Groups[1].Value);
    }

    /// <summary>The source text a diagnostic points at (its location names the file; the text is the snippet's).</summary>
    public static string TextAt(Diagnostic diagnostic, string source)
    {
        var span = diagnostic.Location.SourceSpan;
        return (Usings + source).Substring(span.Start, span.Length);
    }

    public const string Usings = "using System.Runtime.CompilerServices;\nusing System.Threading;\nusing CSharpBpf;\n";
}
