using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Vm;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// VM speed in nanoseconds per executed eBPF instruction: each benchmark's OperationsPerInvoke is
/// the number of instructions one run executes, so BenchmarkDotNet's Mean is per instruction.
/// The counts are checked at setup, so a changed program cannot silently skew the figure.
/// </summary>
[MemoryDiagnoser]
public class VmBenchmarks
{
    private const int LoopInstructions = 30_003;  // samples/asm/sum-loop.asm
    private const int PacketInstructions = 32;    // samples/asm/tcp-flow-hash.asm on an IPv4/TCP frame

    private static readonly byte[] TcpFrame = Convert.FromHexString(
        "0000000000000000000000000800450000280000000040060000c0a80001c0a800021f9001bb000000000000000050000000000000000000");

    private BpfVm loop = null!;
    private BpfVm packet = null!;

    [GlobalSetup]
    public void Setup()
    {
        loop = Prepare("sum-loop.asm", [], LoopInstructions);
        packet = Prepare("tcp-flow-hash.asm", TcpFrame, PacketInstructions);
    }

    [Benchmark(OperationsPerInvoke = LoopInstructions, Description = "loop (sum 1..10000), ns/instruction")]
    public ulong LoopHeavy() => loop.Run([]);

    [Benchmark(OperationsPerInvoke = PacketInstructions, Description = "packet parse (Eth/IPv4/TCP flow hash), ns/instruction")]
    public ulong PacketParsing() => packet.Run(TcpFrame);

    private static BpfVm Prepare(string sample, byte[] input, int expectedInstructions)
    {
        var vm = new BpfVm(Assembler.Assemble(File.ReadAllText(Path.Combine(SamplesDirectory(), sample))));
        vm.Run(input);
        if (vm.ExecutedInstructions != expectedInstructions)
            throw new InvalidOperationException($"{sample} executed {vm.ExecutedInstructions} instructions, the benchmark assumes {expectedInstructions}");
        return vm;
    }

    private static string SamplesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln"))) return Path.Combine(dir.FullName, "samples", "asm");
        throw new DirectoryNotFoundException("run the benchmarks from inside the repository");
    }
}
