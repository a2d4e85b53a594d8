using System;

namespace CSharpBpf.Links;

/// <summary>Finds where a function lives in an ELF executable or library file, as uprobes want it: the file
/// offset of the symbol (its address translated through the PT_LOAD segment that holds it).</summary>
public static class UprobeTarget
{
    /// <summary>The file offset of <paramref name="symbol"/> in <paramref name="binaryPath"/> (.symtab, then .dynsym).</summary>
    /// <exception cref="ArgumentException">The file is not a 64-bit ELF file, has no such function, or the function lies
    /// in no loadable segment.</exception>
    public static ulong Offset(string binaryPath, string symbol)
    {
        var elf = ElfExecutable.Read(binaryPath);
        ulong address = elf.FunctionAddress(symbol) ?? throw new ArgumentException($"{binaryPath} has no function symbol '{symbol}'", nameof(symbol));
        return elf.FileOffsetOf(address) ?? throw new ArgumentException($"'{symbol}' at 0x{address:x} lies in no loadable segment of {binaryPath}", nameof(symbol));
    }
}
