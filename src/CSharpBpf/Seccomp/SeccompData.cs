using System;
using System.Buffers.Binary;
using CSharpBpf.Bytecode.Classic.Seccomp;

namespace CSharpBpf;

/// <summary>
/// What a seccomp filter sees of one system call: struct seccomp_data (include/uapi/linux/seccomp.h) — the call's number
/// (<see cref="Nr"/>) and the architecture it was made for, the instruction pointer, and its six arguments as 64-bit values
/// (a 32-bit argument such as an fd or flags is zero- or sign-extended by the caller's ABI, so compare <c>(int)</c> or
/// <c>(uint)</c> casts of it). Read it only through these properties in a <see cref="SeccompFilterAttribute"/> method; as
/// plain .NET they return what the constructor was given.
/// </summary>
public sealed class SeccompData
{
    /// <summary>A call of <paramref name="syscall"/> on <paramref name="architecture"/> with these arguments.</summary>
    /// <exception cref="ArgumentException"><paramref name="architecture"/> has no such call.</exception>
    public SeccompData(SeccompArchitecture architecture, Syscall syscall, ulong arg0 = 0, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
        : this(architecture, SyscallTable.Number(architecture, (long)syscall) ?? throw new ArgumentException($"{architecture} has no {syscall} call", nameof(syscall)),
            arg0, arg1, arg2, arg3, arg4, arg5)
    {
    }

    /// <summary>A call of number <paramref name="nr"/> on <paramref name="architecture"/> with these arguments.</summary>
    public SeccompData(SeccompArchitecture architecture, int nr, ulong arg0 = 0, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0, ulong instructionPointer = 0)
    {
        Arch = architecture;
        Nr = nr;
        Arg0 = arg0;
        Arg1 = arg1;
        Arg2 = arg2;
        Arg3 = arg3;
        Arg4 = arg4;
        Arg5 = arg5;
        InstructionPointer = instructionPointer;
    }

    /// <summary>The system call's number on <see cref="Arch"/> (seccomp_data.nr; x32 calls on x86-64 have bit 30 set).</summary>
    public int Nr { get; }
    /// <summary>The architecture the call was made for (seccomp_data.arch, an AUDIT_ARCH_* value).</summary>
    public SeccompArchitecture Arch { get; }
    /// <summary>The call by name: compare it with <see cref="CSharpBpf.Syscall"/> members, which a filter turns into each
    /// architecture's own number. A number that names no call on <see cref="Arch"/> equals no member.</summary>
    public Syscall Syscall => (Syscall)SyscallTable.Ordinal(Arch, Nr);
    /// <summary>The address of the instruction that made the call (seccomp_data.instruction_pointer).</summary>
    public ulong InstructionPointer { get; }
    /// <summary>The first argument (seccomp_data.args[0]).</summary>
    public ulong Arg0 { get; }
    /// <summary>The second argument.</summary>
    public ulong Arg1 { get; }
    /// <summary>The third argument.</summary>
    public ulong Arg2 { get; }
    /// <summary>The fourth argument.</summary>
    public ulong Arg3 { get; }
    /// <summary>The fifth argument.</summary>
    public ulong Arg4 { get; }
    /// <summary>The sixth argument.</summary>
    public ulong Arg5 { get; }

    /// <summary>The 64 bytes of struct seccomp_data in the kernel's (little-endian) layout.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SeccompAbi.DataSize];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(SeccompAbi.NrOffset), Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(SeccompAbi.ArchOffset), (uint)Arch);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(SeccompAbi.InstructionPointerOffset), InstructionPointer);
        ulong[] args = { Arg0, Arg1, Arg2, Arg3, Arg4, Arg5 };
        for (int i = 0; i < args.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(SeccompAbi.ArgsOffset + 8 * i), args[i]);
        return bytes;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Arch} {SyscallTable.Name(Arch, Nr) ?? "#" + Nr}({Arg0:x}, {Arg1:x}, {Arg2:x}, {Arg3:x}, {Arg4:x}, {Arg5:x})";
}
