using System;
using System.Buffers.Binary;
using System.IO;

namespace CSharpBpf.Links;

/// <summary>Finds where a function lives in an ELF executable or library file, as uprobes want it: the file
/// offset of the symbol (its address translated through the PT_LOAD segment that holds it).</summary>
public static class UprobeTarget
{
    /// <summary>The file offset of <paramref name="symbol"/> in <paramref name="binaryPath"/> (.symtab, then .dynsym).</summary>
    public static ulong Offset(string binaryPath, string symbol)
    {
        var file = File.ReadAllBytes(binaryPath);
        if (file.Length < 64 || file[0] != 0x7f || file[1] != (byte)'E' || file[4] != 2)
            throw new ArgumentException($"{binaryPath} is not a 64-bit ELF file", nameof(binaryPath));
        ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((int)at));
        uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at));
        ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)at));

        long sectionTable = (long)U64(0x28);
        int sectionSize = U16(0x3a), sectionCount = U16(0x3c);
        ulong? address = null;
        foreach (uint wanted in new uint[] { 2, 11 }) // SHT_SYMTAB, SHT_DYNSYM
        {
            for (int i = 0; i < sectionCount && address == null; i++)
            {
                long header = sectionTable + i * sectionSize;
                if (U32(header + 4) != wanted) continue;
                long symbols = (long)U64(header + 0x18), size = (long)U64(header + 0x20);
                long strings = (long)U64(sectionTable + U32(header + 0x28) * sectionSize + 0x18);
                for (long at = symbols; at + 24 <= symbols + size; at += 24)
                {
                    if ((file[at + 4] & 0xf) != 2 || U64(at + 8) == 0) continue; // STT_FUNC with an address
                    long name = strings + U32(at);
                    int end = Array.IndexOf(file, (byte)0, (int)name);
                    if (System.Text.Encoding.ASCII.GetString(file, (int)name, end - (int)name) == symbol) { address = U64(at + 8); break; }
                }
            }
            if (address != null) break;
        }
        if (address == null) throw new ArgumentException($"{binaryPath} has no function symbol '{symbol}'", nameof(symbol));

        long programTable = (long)U64(0x20);
        int programSize = U16(0x36), programCount = U16(0x38);
        for (int i = 0; i < programCount; i++)
        {
            long header = programTable + i * programSize;
            if (U32(header) != 1) continue; // PT_LOAD
            ulong offset = U64(header + 8), vaddr = U64(header + 0x10), fileSize = U64(header + 0x20);
            if (address >= vaddr && address < vaddr + fileSize) return address.Value - vaddr + offset;
        }
        throw new ArgumentException($"'{symbol}' at 0x{address:x} lies in no loadable segment of {binaryPath}", nameof(symbol));
    }
}
