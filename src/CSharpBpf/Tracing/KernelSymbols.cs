using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace CSharpBpf.Tracing;

/// <summary>
/// Kernel addresses to function names, from /proc/kallsyms — for the kernel stacks a BpfStackTraceMap holds. The
/// addresses are real only for root (kernel.kptr_restrict hides them otherwise: then every symbol reads as 0 and
/// <see cref="Load"/> says so).
/// </summary>
public sealed class KernelSymbols
{
    private readonly ulong[] _addresses;
    private readonly string[] _names;

    private KernelSymbols(ulong[] addresses, string[] names)
    {
        _addresses = addresses;
        _names = names;
    }

    /// <summary>Reads the symbols of functions (text symbols) from <paramref name="path"/>.</summary>
    public static KernelSymbols Load(string path = "/proc/kallsyms")
    {
        var symbols = new List<(ulong Address, string Name)>();
        foreach (string line in File.ReadLines(path))
        {
            // "ffffffff81000000 T _stext [module]"
            var parts = line.Split(' ', 4);
            if (parts.Length < 3 || parts[1] is not ("T" or "t" or "W" or "w")) continue;
            if (!ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address) || address == 0) continue;
            string name = parts.Length == 4 ? $"{parts[2]} {parts[3].Trim()}" : parts[2];
            symbols.Add((address, name));
        }
        if (symbols.Count == 0)
            throw new InvalidOperationException($"{path} shows no addresses: run as root (kernel.kptr_restrict hides them from other users)");
        symbols.Sort((a, b) => a.Address.CompareTo(b.Address));
        return new KernelSymbols(symbols.ConvertAll(s => s.Address).ToArray(), symbols.ConvertAll(s => s.Name).ToArray());
    }

    /// <summary>The function holding <paramref name="address"/> as <c>name+0xoffset</c>, or the address in hex when it
    /// lies below every symbol.</summary>
    public string Resolve(ulong address)
    {
        int index = Array.BinarySearch(_addresses, address);
        if (index < 0) index = ~index - 1;
        if (index < 0) return $"0x{address:x}";
        ulong offset = address - _addresses[index];
        return offset == 0 ? _names[index] : $"{_names[index]}+0x{offset:x}";
    }

    /// <summary>Each frame of <paramref name="stack"/> (innermost first, up to the first zero) resolved.</summary>
    public IReadOnlyList<string> Resolve(in StackTrace stack)
    {
        var frames = new List<string>();
        foreach (ulong address in (ReadOnlySpan<ulong>)stack)
        {
            if (address == 0) break;
            frames.Add(Resolve(address));
        }
        return frames;
    }
}
