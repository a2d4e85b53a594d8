extern alias generator;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CSharpBpf.Compiler.Tests.Behaviour;
using CSharpBpf.Syscalls;
using CSharpBpf.Vm;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using BpfObjectGenerator = generator::CSharpBpf.Generator.BpfObjectGenerator;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>How one generated program fared.</summary>
public enum FuzzOutcome
{
    /// <summary>Built clean, loaded, and the kernel, .NET and (where it can run it) the VM agreed on every frame.</summary>
    Agreed,
    /// <summary>The compiler refused it with a diagnostic (allowed: the figures count them by ID).</summary>
    Rejected,
    /// <summary>The program generator wrote C# that does not compile, or whose .NET run throws: a fuzzer bug.</summary>
    InvalidProgram,
    /// <summary>The compiler failed internally (BPF0014, or no object although no error was reported).</summary>
    CompilerError,
    /// <summary>Built clean, yet the kernel verifier refused it: the promise broken.</summary>
    FalseClean,
    /// <summary>Kernel, .NET and VM disagreed on an action, a packet, a global or a map.</summary>
    Mismatch,
}

/// <summary>One program's outcome, with what explains it (diagnostics, verifier log tail, first difference).</summary>
public sealed record FuzzResult(FuzzProgram Program, FuzzOutcome Outcome, string Detail);

/// <summary>
/// Builds programs with the real generator and analyzers (in process, as a build would), then runs each on the same
/// frames in the kernel (BPF_PROG_TEST_RUN), as plain .NET (the emitted assembly, loaded into a collectible context
/// so every program starts with fresh statics) and in the VM, comparing the action, the packet out, the mutable
/// globals and the maps.
/// </summary>
public static class DifferentialRunner
{
    /// <summary>With CSBPF_FUZZ_TRACE=FILE, each stage and each program's outcome is appended to FILE as it happens, so a
    /// long run can be watched (the test's own output comes at its end).</summary>
    private static void Trace(string what)
    {
        if (Environment.GetEnvironmentVariable("CSBPF_FUZZ_TRACE") is { } file) File.AppendAllText(file, $"{DateTime.Now:HH:mm:ss.fff} {what}\n");
    }

    /// <summary>The detail of a program all three runners agreed on (the others ran in the kernel and .NET only).</summary>
    public const string AllThree = "kernel, .NET and VM";

    public static List<FuzzResult> Run(IReadOnlyList<FuzzProgram> programs, IReadOnlyList<byte[]> frames)
    {
        Trace($"batch of {programs.Count}");
        var results = new Dictionary<string, FuzzResult>();
        var trees = programs.ToDictionary(p => p.Name, p => CSharpSyntaxTree.ParseText(p.Source, GeneratorHarness.ParseOptions, path: p.Name + ".cs"));
        var byName = programs.ToDictionary(p => p.Name);
        var compilation = CSharpCompilation.Create("Fuzz" + Guid.NewGuid().ToString("N"), trees.Values, GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));

        // C# errors: the program generator's fault; drop those programs so the others still build.
        foreach (var group in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).GroupBy(d => d.Location.SourceTree!.FilePath))
        {
            string name = Path.GetFileNameWithoutExtension(group.Key);
            results[name] = new FuzzResult(byName[name], FuzzOutcome.InvalidProgram, string.Join("\n", group.Take(5)));
            compilation = compilation.RemoveSyntaxTrees(trees[name]);
        }

        Trace("C# diagnostics done");
        var analyzerDiagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CSharpBpf.Analyzers.BpfObjectAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        foreach (var group in analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).GroupBy(d => d.Location.SourceTree!.FilePath))
        {
            string name = Path.GetFileNameWithoutExtension(group.Key);
            bool internalError = group.Any(d => d.Id == "BPF0014");
            results[name] = new FuzzResult(byName[name], internalError ? FuzzOutcome.CompilerError : FuzzOutcome.Rejected, string.Join("\n", group.Take(5)));
            Trace($"{name}: {results[name].Outcome}: {group.First()}");
        }

        Trace("analyzers done");
        CSharpGeneratorDriver.Create(new[] { new BpfObjectGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
        using var stream = new MemoryStream();
        var emitted = generated.Emit(stream);
        if (!emitted.Success)
            throw new InvalidOperationException("the generated code does not compile: " + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));

        Trace("generator and emit done");
        var context = new AssemblyLoadContext("fuzz", isCollectible: true);
        try
        {
            stream.Position = 0;
            var assembly = context.LoadFromStream(stream);
            foreach (var program in programs.Where(p => !results.ContainsKey(p.Name)))
            {
                var result = results[program.Name] = RunOne(program, assembly.GetType(program.Name)!, frames);
                // A failure's reason, as the verifier or the comparison gave it (its last line), so a long run's trace says it.
                Trace(result.Outcome == FuzzOutcome.Agreed ? $"{program.Name}: Agreed"
                    : $"{program.Name}: {result.Outcome}: {result.Detail.Split('\n').LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith("processed "))?.Trim()}");
            }
        }
        finally
        {
            context.Unload();
        }
        return programs.Select(p => results[p.Name]).ToList();
    }

    private static FuzzResult RunOne(FuzzProgram fuzz, Type type, IReadOnlyList<byte[]> frames)
    {
        if (type.GetProperty("ObjectFile", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not byte[] objectFile)
            return new FuzzResult(fuzz, FuzzOutcome.CompilerError, "the analyzers reported no error but the generator embedded no object");
        // With CSBPF_FUZZ_OBJECTS=DIRECTORY, each object is kept there (NAME.bpf.o) for csbpf dump, llvm-objdump or bpftool.
        if (Environment.GetEnvironmentVariable("CSBPF_FUZZ_OBJECTS") is { } objects) File.WriteAllBytes(Path.Combine(objects, fuzz.Name + ".bpf.o"), objectFile);
        var program = new CorpusProgram(fuzz.Name, type.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!, objectFile);

        List<RunResult> kernel;
        string kernelState;
        try
        {
            (kernel, kernelState) = KernelRunner.Run(program, frames);
        }
        catch (BpfException e)
        {
            return new FuzzResult(fuzz, FuzzOutcome.FalseClean, Tail(e.Message, 12));
        }

        var managed = new List<RunResult>();
        foreach (var frame in frames)
        {
            try { managed.Add(ManagedRunner.Run(program, frame)); }
            catch (Exception e) { return new FuzzResult(fuzz, FuzzOutcome.InvalidProgram, $".NET run threw {e.GetType().Name}: {e.Message}"); }
        }
        var used = MapState.UsedMaps(program);
        for (int i = 0; i < frames.Count; i++)
            if (!Same(kernel[i], managed[i]))
                return new FuzzResult(fuzz, FuzzOutcome.Mismatch, $"frame {i} ({Convert.ToHexString(frames[i])}): kernel {kernel[i]}, .NET {managed[i]}");
        string managedState = MapState.Managed(program.ObjectType, used, objectFile);
        if (kernelState != managedState)
            return new FuzzResult(fuzz, FuzzOutcome.Mismatch, $"state after all frames differs:\nkernel:\n{kernelState}\n.NET:\n{managedState}");

        var memory = new VmMemory();
        var (code, _) = VmRunner.TryLink(program, memory);
        if (code == null) return new FuzzResult(fuzz, FuzzOutcome.Agreed, "kernel and .NET (maps: no VM)");
        for (int i = 0; i < frames.Count; i++)
        {
            RunResult vm;
            try { vm = VmRunner.Run(program, code, memory, frames[i]); }
            catch (BpfVmException e) { return new FuzzResult(fuzz, FuzzOutcome.Mismatch, $"frame {i}: the VM faulted: {e.Message}"); }
            if (!Same(kernel[i], vm))
                return new FuzzResult(fuzz, FuzzOutcome.Mismatch, $"frame {i} ({Convert.ToHexString(frames[i])}): kernel {kernel[i]}, VM {vm}");
        }
        string vmState = MapState.Vm(memory, used, objectFile);
        string kernelGlobals = MapState.ManagedGlobals(program.ObjectType, used, objectFile);
        if (vmState != kernelGlobals)
            return new FuzzResult(fuzz, FuzzOutcome.Mismatch, $"globals after all frames differ:\nkernel and .NET:\n{kernelGlobals}\nVM:\n{vmState}");
        return new FuzzResult(fuzz, FuzzOutcome.Agreed, AllThree);
    }

    private static bool Same(RunResult a, RunResult b) =>
        a.ReturnValue == b.ReturnValue && (a.Packet == null || b.Packet == null || a.Packet.AsSpan().SequenceEqual(b.Packet));

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join("\n", all.Length <= lines ? all : all[..3].Concat(new[] { "…" }).Concat(all[^(lines - 3)..]));
    }
}
