using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// The analyzers' cost: a solution of 50 [BpfObject] classes (the paired corpus's eight programs each,
/// one class per file) analyzed whole, and then one edit in one object analyzed as the IDE does for the
/// open document (the semantic diagnostics of that file). Medians of 10 runs after a warm-up.
/// </summary>
public static class AnalyzerTiming
{
    public static int Run()
    {
        string paired = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Paired", "Paired.cs"));
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Enumerable.Range(0, 50).Select(i => CSharpSyntaxTree.ParseText(
            paired.Replace("namespace CSharpBpf.Benchmarks.Paired;", $"namespace Solution{i};"),
            parse, path: $"Paired{i}.cs")).ToArray();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal))
            .Append(typeof(XdpContext).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Solution", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new BpfObjectAnalyzer());

        double whole = Median(() =>
        {
            var diagnostics = compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            if (diagnostics.Length != 0) throw new InvalidOperationException(string.Join("\n", diagnostics));
        });

        int edit = 0;
        double perEdit = Median(() =>
        {
            var original = compilation.SyntaxTrees.First();
            var edited = compilation.ReplaceSyntaxTree(original, CSharpSyntaxTree.ParseText(original.ToString().Replace("== 22", $"== {23 + edit++}"), parse, path: original.FilePath));
            var tree = edited.SyntaxTrees.First();
            var diagnostics = edited.WithAnalyzers(analyzers).GetAnalyzerSemanticDiagnosticsAsync(edited.GetSemanticModel(tree), null, default).GetAwaiter().GetResult();
            if (diagnostics.Length != 0) throw new InvalidOperationException(string.Join("\n", diagnostics));
        });

        Console.WriteLine("| analysis | median ms |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| 50 [BpfObject] classes (400 programs), whole solution | {whole:F1} |");
        Console.WriteLine($"| one edit in one object, its document's diagnostics | {perEdit:F1} |");
        return 0;
    }

    private static double Median(Action action)
    {
        action();
        var times = Enumerable.Range(0, 10).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }).OrderBy(t => t).ToArray();
        return times[5];
    }
}
