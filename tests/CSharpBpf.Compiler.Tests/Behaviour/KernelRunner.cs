using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Loading;
using CSharpBpf.Testing;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>Runs a program in the kernel with BPF_PROG_TEST_RUN, from a fresh load of its object.</summary>
public static class KernelRunner
{
    /// <summary>Runs every frame, then reads the object's maps (<see cref="MapState"/>). The frames run with this thread
    /// pinned to one CPU: a test run executes on the caller's CPU, and .NET's model of a per-CPU map is one CPU, so a
    /// scheduler migration between frames would otherwise split a per-CPU counter in two.</summary>
    public static (List<RunResult> Results, string Maps) Run(CorpusProgram program, IReadOnlyList<byte[]> frames)
    {
        using var loaded = BpfObjectFile.Open(program.ObjectFile, program.ObjectName).Load();
        var kernelProgram = loaded.Program(program.Name);
        using var pin = new CpuPin();
        var results = frames.Select(frame =>
        {
            var result = kernelProgram.TestRun(frame);
            return new RunResult(result.ReturnValue, program.IsSocketFilter ? null : result.DataOut);
        }).ToList();
        return (results, MapState.Kernel(loaded, program.ObjectType, MapState.UsedMaps(program), program.ObjectFile));
    }
}
