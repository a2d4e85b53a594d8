using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Loading;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>Runs a program in the kernel with BPF_PROG_TEST_RUN, from a fresh load of its object.</summary>
public static class KernelRunner
{
    /// <summary>Runs every frame, then reads the object's maps (<see cref="MapState"/>).</summary>
    public static (List<RunResult> Results, string Maps) Run(CorpusProgram program, IReadOnlyList<byte[]> frames)
    {
        using var loaded = BpfObjectFile.Open(CorpusObjects.ObjectFile(program.ObjectName), program.ObjectName).Load();
        var kernelProgram = loaded.Program(program.Name);
        var results = frames.Select(frame =>
        {
            var result = kernelProgram.TestRun(frame);
            return new RunResult(result.ReturnValue, program.IsSocketFilter ? null : result.DataOut);
        }).ToList();
        return (results, MapState.Kernel(loaded, CorpusObjects.Type(program.ObjectName), MapState.UsedMaps(program)));
    }
}
