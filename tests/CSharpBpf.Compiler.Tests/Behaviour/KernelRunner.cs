using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Loading;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>Runs a program in the kernel with BPF_PROG_TEST_RUN, from a fresh load of its object.</summary>
public static class KernelRunner
{
    public static List<RunResult> Run(CorpusProgram program, IReadOnlyList<byte[]> frames)
    {
        using var loaded = BpfObjectFile.Open(CorpusObjects.ObjectFile(program.ObjectName), program.ObjectName).Load();
        var kernelProgram = loaded.Program(program.Name);
        return frames.Select(frame =>
        {
            var result = kernelProgram.TestRun(frame);
            return new RunResult(result.ReturnValue, program.IsSocketFilter ? null : result.DataOut);
        }).ToList();
    }
}
