using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CSharpBpf.Links;

/// <summary>A 64-bit little-endian ELF executable or shared library as uprobes see it: its sections, loadable
/// segments and function symbols (the ELF-64 object file format; uprobes take file offsets, not addresses).</summary>
internal sealed class ElfExecutable
{
    /// <summary>A section header: name, type (SHT_*), address when loaded, offset and size in the file (bytes), and
    /// sh_link (a symbol table's string table).</summary>
    public sealed record Section(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link);

    /// <summary>A PT_LOAD segment: file offset, address and size in the file; executable when PF_X.</summary>
    public sealed record Segment(ulong Offset, ulong Address, ulong FileSize, bool Executable);

    private readonly byte[] _file;

    private ElfExecutable(string path, byte[] file)
    {
        Path = path;
        _file = file;
        if (file.Length < 64 || file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F' || file[4] != 2 || file[5] != 1)
            throw new ArgumentException($"{path} is not a 64-bit little-endian ELF file", nameof(path));
        Machine = U16(0x12);
        long sectionTable = (long)U64(0x28);
        int sectionSize = U16(0x3a), sectionCount = U16(0x3c), names = U16(0x3e);
        var headers = new List<(uint Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link)>();
        for (int i = 0; i < sectionCount; i++)
        {
            long h = sectionTable + (long)i * sectionSize;
            headers.Add((U32(h), U32(h + 4), U64(h + 0x10), U64(h + 0x18), U64(h + 0x20), U32(h + 0x28)));
        }
        var sections = new List<Section>();
        ulong nameTable = names < headers.Count ? headers[names].Offset : 0;
        foreach (var h in headers) sections.Add(new Section(CString(nameTable + h.Name), h.Type, h.Address, h.Offset, h.Size, h.Link));
        Sections = sections;
        long programTable = (long)U64(0x20);
        int programSize = U16(0x36), programCount = U16(0x38);
        var segments = new List<Segment>();
        for (int i = 0; i < programCount; i++)
        {
            long h = programTable + (long)i * programSize;
            if (U32(h) == 1) segments.Add(new Segment(U64(h + 8), U64(h + 0x10), U64(h + 0x20), (U32(h + 4) & 1) != 0)); // PT_LOAD, PF_X
        }
        Segments = segments;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">It is not a 64-bit little-endian ELF file.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static ElfExecutable Read(string path) => new(path, File.ReadAllBytes(path));

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>e_machine: 62 for x86-64 (EM_X86_64), 183 for arm64 (EM_AARCH64).</summary>
    public ushort Machine { get; }

    /// <summary>The section headers, in file order.</summary>
    public IReadOnlyList<Section> Sections { get; }

    /// <summary>The PT_LOAD segments.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>A section's bytes in the file.</summary>
    public ReadOnlySpan<byte> Contents(Section section) => _file.AsSpan((int)section.Offset, (int)section.Size);

    /// <summary>The loadable segment holding <paramref name="address"/>, or null.</summary>
    public Segment? SegmentOf(ulong address)
    {
        foreach (var s in Segments)
            if (address >= s.Address && address < s.Address + s.FileSize) return s;
        return null;
    }

    /// <summary>The file offset <paramref name="address"/> loads from, or null when no segment holds it.</summary>
    public ulong? FileOffsetOf(ulong address) => SegmentOf(address) is { } s ? address - s.Address + s.Offset : null;

    /// <summary>The address of function <paramref name="symbol"/> (.symtab, then .dynsym), or null.</summary>
    public ulong? FunctionAddress(string symbol)
    {
        foreach (uint wanted in new uint[] { 2, 11 }) // SHT_SYMTAB, SHT_DYNSYM
        {
            foreach (var section in Sections)
            {
                if (section.Type != wanted) continue;
                ulong strings = Sections[(int)section.Link].Offset;
                for (ulong at = section.Offset; at + 24 <= section.Offset + section.Size; at += 24)
                {
                    if ((_file[at + 4] & 0xf) != 2 || U64((long)at + 8) == 0) continue; // STT_FUNC with an address
                    if (CString(strings + U32((long)at)) == symbol) return U64((long)at + 8);
                }
            }
        }
        return null;
    }

    private string CString(ulong at)
    {
        int end = Array.IndexOf(_file, (byte)0, (int)at);
        return Encoding.UTF8.GetString(_file, (int)at, end - (int)at);
    }

    private ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan((int)at));
    private uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan((int)at));
    private ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(_file.AsSpan((int)at));
}
