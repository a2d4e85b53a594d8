using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Links;

namespace CSharpBpf.Tracing;

/// <summary>
/// One site of a USDT probe in an executable or library: an entry of its <c>.note.stapsdt</c> section (note type 3,
/// owner "stapsdt": the probe's address, the <c>.stapsdt.base</c> address it was linked against, its semaphore's address,
/// then provider, name and argument operands), with the addresses turned into the file offsets uprobes take.
/// A probe fired from several places (inlined, unrolled) has one site per place, all with the same provider and name.
/// </summary>
/// <param name="Provider">The provider (sys/sdt.h's first macro argument).</param>
/// <param name="Name">The probe's name.</param>
/// <param name="Address">The site's address in the file's address space, corrected for prelinking through
/// <c>.stapsdt.base</c>.</param>
/// <param name="FileOffset">The site's offset in the file: where the uprobe goes.</param>
/// <param name="SemaphoreOffset">The file offset of the probe's 16-bit semaphore, which the kernel increments while
/// a uprobe is attached (perf_event_attr's ref_ctr_offset), or 0 when the probe has none.</param>
/// <param name="ArgumentText">The operands as written in the note, e.g. <c>-4@%edi 8@-24(%rbp)</c>.</param>
/// <param name="Machine">The ELF machine the operands are for (<see cref="UsdtArgument.X86_64"/>, <see cref="UsdtArgument.Arm64"/>).</param>
public sealed record UsdtProbe(string Provider, string Name, ulong Address, ulong FileOffset, ulong SemaphoreOffset, string ArgumentText, ushort Machine)
{
    private const uint NoteType = 3; // NT_STAPSDT

    /// <summary>The arguments, decoded.</summary>
    /// <exception cref="FormatException">An operand is not one sys/sdt.h writes.</exception>
    /// <exception cref="NotSupportedException">An operand cannot be read at the probe (a symbol's address), or the
    /// machine is neither x86-64 nor arm64.</exception>
    public IReadOnlyList<UsdtArgument> Arguments() => UsdtArgument.Split(ArgumentText).Select(a => UsdtArgument.Parse(a, Machine)).ToArray();

    /// <summary>Every USDT probe site in <paramref name="binaryPath"/>, in note order.</summary>
    /// <exception cref="ArgumentException">The file is not a 64-bit little-endian ELF file, or a note is malformed.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    public static IReadOnlyList<UsdtProbe> Read(string binaryPath)
    {
        var elf = ElfExecutable.Read(binaryPath);
        ulong? linkedBase = elf.Sections.FirstOrDefault(s => s.Name == ".stapsdt.base")?.Address;
        var probes = new List<UsdtProbe>();
        foreach (var section in elf.Sections.Where(s => s.Name == ".note.stapsdt" && s.Type == 7)) // SHT_NOTE
        {
            var notes = elf.Contents(section);
            int at = 0;
            while (at + 12 <= notes.Length)
            {
                int nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[at..]);
                int descriptionSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[(at + 4)..]);
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes[(at + 8)..]);
                int name = at + 12, description = name + Align4(nameSize), next = description + Align4(descriptionSize);
                if (nameSize < 0 || descriptionSize < 0 || next > notes.Length)
                    throw new ArgumentException($"{binaryPath}: a note in .note.stapsdt runs past the section's end", nameof(binaryPath));
                if (type == NoteType && Encoding.ASCII.GetString(notes.Slice(name, nameSize)).TrimEnd('\0') == "stapsdt")
                    probes.Add(Site(elf, notes.Slice(description, descriptionSize), linkedBase));
                at = next;
            }
        }
        return probes;
    }

    private static UsdtProbe Site(ElfExecutable elf, ReadOnlySpan<byte> description, ulong? linkedBase)
    {
        if (description.Length < 24) throw new ArgumentException($"{elf.Path}: a stapsdt note of {description.Length} bytes is too short for its three addresses");
        ulong address = BinaryPrimitives.ReadUInt64LittleEndian(description);
        ulong noteBase = BinaryPrimitives.ReadUInt64LittleEndian(description[8..]);
        ulong semaphore = BinaryPrimitives.ReadUInt64LittleEndian(description[16..]);
        var strings = Encoding.UTF8.GetString(description[24..]).Split('\0');
        if (strings.Length < 3) throw new ArgumentException($"{elf.Path}: a stapsdt note lacks its provider, name or arguments");
        string provider = strings[0], name = strings[1], arguments = strings[2];
        // A prelinked file moved .stapsdt.base after the note was written: its sites moved by as much.
        if (linkedBase is ulong actual && noteBase != 0) address += actual - noteBase;
        var code = elf.SegmentOf(address);
        if (code is not { Executable: true })
            throw new ArgumentException($"{elf.Path}: USDT probe {provider}:{name} at 0x{address:x} lies in no executable segment");
        ulong semaphoreOffset = 0;
        if (semaphore != 0)
            semaphoreOffset = elf.FileOffsetOf(semaphore)
                ?? throw new ArgumentException($"{elf.Path}: USDT probe {provider}:{name}'s semaphore at 0x{semaphore:x} lies in no loadable segment");
        return new UsdtProbe(provider, name, address, address - code.Address + code.Offset, semaphoreOffset, arguments, elf.Machine);
    }

    private static int Align4(int size) => (size + 3) & ~3;
}
