using System;

namespace CSharpBpf;

/// <summary>
/// A USDT program's context: the registers at the probe site, from which <see cref="Arg"/> decodes the probe's
/// arguments where the note says the compiler left them (a register, a constant, or memory at a register plus an
/// offset), sign- or zero-extended from their declared size to 64 bits, as libbpf's bpf_usdt_arg does.
/// Pointer arguments are addresses in the probed process: read through them with <see cref="Bpf.ProbeReadUser{T}"/>.
/// As plain .NET the arguments are the ones given to the constructor.
/// </summary>
public sealed class UsdtContext
{
    private readonly long[] _arguments;

    /// <summary>A probe firing with <paramref name="arguments"/>, for running the program as plain .NET.</summary>
    /// <exception cref="ArgumentException">More than 12 arguments.</exception>
    public UsdtContext(params long[] arguments)
    {
        if (arguments.Length > 12) throw new ArgumentException("a USDT probe has at most 12 arguments", nameof(arguments));
        _arguments = arguments;
    }

    /// <summary>How many arguments the probe passes (0 when the site's spec cannot be found).</summary>
    public int ArgCount => _arguments.Length;

    /// <summary>Argument <paramref name="index"/> (a constant from 0 to 11), extended to 64 bits by its signedness;
    /// 0 when the probe passes fewer arguments or the value cannot be read (memory paged out).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0–11.</exception>
    public long Arg(int index)
    {
        if (index is < 0 or >= 12) throw new ArgumentOutOfRangeException(nameof(index), index, "a USDT probe has at most 12 arguments");
        return index < _arguments.Length ? _arguments[index] : 0;
    }
}
