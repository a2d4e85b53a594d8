extern alias generator;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using BpfObjectGenerator = generator::CSharpBpf.Generator.BpfObjectGenerator;

namespace CSharpBpf.Compiler.Tests.Seccomp;

/// <summary>Builds [BpfObject] classes with [SeccompFilter] methods as a user's build does (generator, then the C#
/// compiler) and loads the result, so a test can run each policy both ways: as plain .NET and as the compiled filter.</summary>
public sealed class SeccompHarness : IDisposable
{
    private readonly AssemblyLoadContext _context = new("seccomp", isCollectible: true);
    private readonly Assembly _assembly;

    public SeccompHarness(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources.Select(s => GeneratorHarness.Usings + s).ToArray());
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("the policy does not compile: " + string.Join("\n", errors.Take(5)));
        var analyzerErrors = GeneratorHarness.AnalyzerDiagnostics(compilation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (analyzerErrors.Count > 0) throw new InvalidOperationException("the analyzers refuse the policy: " + string.Join("\n", analyzerErrors.Take(5)));
        CSharpGeneratorDriver.Create(new[] { new BpfObjectGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        if (generatorDiagnostics.Length > 0) throw new InvalidOperationException("the generator failed: " + string.Join("\n", generatorDiagnostics));
        using var stream = new MemoryStream();
        var emitted = generated.Emit(stream);
        if (!emitted.Success) throw new InvalidOperationException("the generated code does not compile: " + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        stream.Position = 0;
        _assembly = _context.LoadFromStream(stream);
    }

    /// <summary>The compiled filter of <paramref name="type"/>.<paramref name="method"/>.</summary>
    public SeccompPolicy Policy(string type, string method) =>
        (SeccompPolicy)_assembly.GetType(type + "+SeccompFilters", throwOnError: true)!.GetProperty(method)!.GetValue(null)!;

    /// <summary>The method itself, run as plain .NET.</summary>
    public Func<SeccompData, SeccompAction> Method(string type, string method) =>
        _assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Func<SeccompData, SeccompAction>>();

    public void Dispose() => _context.Unload();
}
