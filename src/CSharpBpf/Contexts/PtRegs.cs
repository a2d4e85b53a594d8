namespace CSharpBpf;

/// <summary>
/// A kprobe's or uprobe's context: the probed function's registers (struct pt_regs). <see cref="Arg1"/>…<see cref="Arg5"/>
/// follow the calling convention of the object's <see cref="BpfObjectAttribute.Architecture"/> (x86-64: rdi, rsi,
/// rdx, rcx, r8; arm64: x0…x4); <see cref="ReturnValue"/> (rax, x0) is meaningful in return probes. Pointer
/// arguments are addresses in the probed process (uprobes) or the kernel (kprobes): read through them with
/// <see cref="Bpf.ProbeReadUser{T}"/> or <see cref="Bpf.ProbeReadKernel{T}"/>.
/// As plain .NET the values are the ones given to the constructor.
/// </summary>
public sealed class PtRegs
{
    /// <summary>Registers holding these arguments (and return value).</summary>
    public PtRegs(ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0, ulong returnValue = 0)
    {
        Arg1 = arg1;
        Arg2 = arg2;
        Arg3 = arg3;
        Arg4 = arg4;
        Arg5 = arg5;
        ReturnValue = returnValue;
    }

    /// <summary>The first argument.</summary>
    public ulong Arg1 { get; }
    /// <summary>The second argument.</summary>
    public ulong Arg2 { get; }
    /// <summary>The third argument.</summary>
    public ulong Arg3 { get; }
    /// <summary>The fourth argument.</summary>
    public ulong Arg4 { get; }
    /// <summary>The fifth argument.</summary>
    public ulong Arg5 { get; }
    /// <summary>The return value (in a return probe).</summary>
    public ulong ReturnValue { get; }
}
