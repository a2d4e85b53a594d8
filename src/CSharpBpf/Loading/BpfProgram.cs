using System;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

/// <summary>A program loaded into the kernel.</summary>
public sealed partial class BpfProgram : IDisposable
{
    internal BpfProgram(string name, string section, BpfProgramType type, BpfFileDescriptor descriptor, int instructionCount, string? verifierLog)
    {
        InstructionCount = instructionCount;
        VerifierLog = verifierLog;
        Name = name;
        Section = section;
        Type = type;
        Descriptor = descriptor;
    }

    /// <summary>The function's name.</summary>
    public string Name { get; }
    /// <summary>The ELF section it came from.</summary>
    public string Section { get; }
    /// <summary>The kernel program type.</summary>
    public BpfProgramType Type { get; }
    /// <summary>What the kernel reports about the program now: id, tag, translated size, and its run time and run
    /// count while statistics are on (<see cref="BpfSyscall.EnableStatistics"/>).</summary>
    public ProgramInfo Info() => KernelObjectInfo.Program(Descriptor);

    /// <summary>The attach type a BTF-typed program was loaded for (tp_btf, fentry, fexit, lsm, iter), else 0.</summary>
    internal BpfAttachType AttachType { get; init; }

    /// <summary>The object's USDT spec map, for a program that decodes USDT arguments (<see cref="AttachUsdt"/>).</summary>
    internal UsdtSpecTable? UsdtSpecs { get; set; }

    /// <summary>Instructions (8-byte slots) loaded, subprograms included.</summary>
    public int InstructionCount { get; }
    /// <summary>The verifier's log, when the object was loaded with captureVerifierLog.</summary>
    public string? VerifierLog { get; }
    /// <summary>Its file descriptor.</summary>
    public BpfFileDescriptor Descriptor { get; }

    /// <summary>Opens a program pinned in bpffs.</summary>
    public static BpfProgram OpenPinned(string path) => FromDescriptor(BpfSyscall.ObjGet(path));

    /// <summary>Opens a loaded program by its kernel id.</summary>
    public static BpfProgram Open(uint id) => FromDescriptor(KernelObjectInfo.OpenProgram(id));

    private static BpfProgram FromDescriptor(BpfFileDescriptor fd)
    {
        var info = KernelObjectInfo.Program(fd);
        return new BpfProgram(info.Name, "", info.Type, fd, info.Instructions, null);
    }

    /// <summary>Runs the program on <paramref name="packet"/> in the kernel (BPF_PROG_TEST_RUN): XDP, socket filter and tc;
    /// <paramref name="repeat"/> runs give the average duration, and <paramref name="context"/> is the xdp_md or
    /// __sk_buff the program sees (fields such as ingress_ifindex or mark), when given.</summary>
    public TestRunResult TestRun(ReadOnlySpan<byte> packet, uint repeat = 1, ReadOnlySpan<byte> context = default) => BpfSyscall.ProgTestRun(Descriptor, packet, repeat, context);

    /// <summary>Closes the descriptor (an attached program stays attached while its link lives).</summary>
    public void Dispose() => Descriptor.Dispose();
}
