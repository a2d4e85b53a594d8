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

namespace CSharpBpf.Compiler.Tests;

/// <summary>Builds [BpfObject] classes as a user's build does (analyzers, generator, then the C# compiler) and loads the
/// result, so a test can run each program both ways: as plain .NET and as what the generator compiled.</summary>
public sealed class BuiltAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context = new("built", isCollectible: true);
    private readonly Assembly _assembly;

    public BuiltAssembly(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources.Select(s => GeneratorHarness.Usings + s).ToArray());
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("the source does not compile: " + string.Join("\n", errors.Take(5)));
        var analyzerErrors = GeneratorHarness.AnalyzerDiagnostics(compilation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (analyzerErrors.Count > 0) throw new InvalidOperationException("the analyzers refuse it: " + string.Join("\n", analyzerErrors.Take(5)));
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

    /// <summary>A seccomp policy method itself, run as plain .NET.</summary>
    public Func<SeccompData, SeccompAction> Method(string type, string method) => Method<Func<SeccompData, SeccompAction>>(type, method);

    /// <summary>A static method, run as plain .NET.</summary>
    public TDelegate Method<TDelegate>(string type, string method) where TDelegate : Delegate =>
        _assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<TDelegate>();

    /// <summary>The object file the generator embedded in <paramref name="type"/>'s skeleton.</summary>
    public byte[] ObjectFile(string type) => (byte[])_assembly.GetType(type, throwOnError: true)!.GetProperty("ObjectFile")!.GetValue(null)!;

    public void Dispose() => _context.Unload();
}
