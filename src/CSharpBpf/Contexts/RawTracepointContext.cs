using System;

namespace CSharpBpf;

/// <summary>
/// A raw tracepoint program's context: the tracepoint's arguments as the kernel passes them to its probe
/// functions (struct bpf_raw_tracepoint_args), untyped 64-bit values. For sys_enter, argument 0 is the
/// struct pt_regs pointer and argument 1 the syscall number.
/// </summary>
public sealed class RawTracepointContext
{
    private readonly ulong[] _arguments;

    /// <summary>A context holding <paramref name="arguments"/>, for running the program as plain .NET.</summary>
    public RawTracepointContext(params ulong[] arguments) => _arguments = arguments;

    /// <summary>Argument <paramref name="index"/> (a constant from 0 to 11).</summary>
    public ulong Arg(int index)
    {
        if (index is < 0 or >= 12) throw new ArgumentOutOfRangeException(nameof(index), index, "a raw tracepoint has at most 12 arguments");
        return index < _arguments.Length ? _arguments[index] : 0;
    }
}
