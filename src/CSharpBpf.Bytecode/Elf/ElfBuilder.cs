using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CSharpBpf.Bytecode.Elf
{
    /// <summary>
    /// Lays out an ELF64 little-endian relocatable file:
    /// <code>
    /// Elf64_Ehdr (64 bytes) | section contents, each aligned | section headers (64 bytes each)
    /// </code>
    /// Section 0 is the null section; section and symbol names share one .strtab, as clang's do.
    /// </summary>
    public sealed class ElfBuilder
    {
        private readonly List<ElfSection> sections = new List<ElfSection>();
        private readonly Btf.BtfStringTable names = new Btf.BtfStringTable();

        /// <summary>Sections added so far (not counting the null section).</summary>
        public int Count => sections.Count;

        /// <summary>Adds a section; returns its index (from 1).</summary>
        public int Add(ElfSection section)
        {
            sections.Add(section);
            return sections.Count;
        }

        /// <summary>The name of section <paramref name="index"/>.</summary>
        public string NameOf(int index) => sections[index - 1].Name;

        /// <summary>Adds .symtab (and the shared .strtab after it).</summary>
        public void AddSymbolTable(IReadOnlyList<ElfSymbol> symbols, int firstGlobal)
        {
            var table = new MemoryStream();
            var w = new BinaryWriter(table);
            foreach (var s in symbols)
            {
                w.Write((uint)(s.Name.Length == 0 ? 0 : names.Add(s.Name)));
                w.Write((byte)((s.Bind << 4) | s.Type));
                w.Write((byte)0);
                w.Write((ushort)s.Section);
                w.Write(s.Value);
                w.Write(s.Size);
            }
            w.Flush();
            int symtab = sections.Count + 1;
            Add(new ElfSection(".symtab", ElfSection.SymbolTable, 0, table.ToArray(), 8, symtab + 1, firstGlobal, 24));
        }

        /// <summary>The file's bytes.</summary>
        public byte[] Build()
        {
            var all = new List<ElfSection>(sections);
            var nameOffsets = new List<int>();
            foreach (var s in all) nameOffsets.Add(names.Add(s.Name));
            int strtabName = names.Add(".strtab");
            all.Add(new ElfSection(".strtab", ElfSection.StringTable, 0, names.ToArray(), 1));
            nameOffsets.Add(strtabName);

            var file = new MemoryStream();
            var w = new BinaryWriter(file);
            w.Write(new byte[64]); // header, written last
            var offsets = new List<long>();
            foreach (var s in all)
            {
                Align(file, s.Alignment);
                offsets.Add(file.Length);
                if (s.Type != ElfSection.NoBits) w.Write(s.Data);
            }
            Align(file, 8);
            long headers = file.Length;
            w.Write(new byte[64]); // SHN_UNDEF
            for (int i = 0; i < all.Count; i++)
            {
                var s = all[i];
                w.Write((uint)nameOffsets[i]);
                w.Write(s.Type);
                w.Write((ulong)s.Flags);
                w.Write(0UL);                       // sh_addr
                w.Write((ulong)offsets[i]);
                w.Write((ulong)s.Data.Length);
                w.Write((uint)s.Link);
                w.Write((uint)s.Info);
                w.Write((ulong)s.Alignment);
                w.Write((ulong)s.EntrySize);
            }

            file.Position = 0;
            w.Write(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* EV_CURRENT */, 0 /* SYSV */ });
            w.Write(new byte[8]);
            w.Write((ushort)1);                      // ET_REL
            w.Write(ElfObjectWriter.MachineBpf);
            w.Write(1u);                             // e_version
            w.Write(0UL);                            // e_entry
            w.Write(0UL);                            // e_phoff
            w.Write((ulong)headers);                 // e_shoff
            w.Write(0u);                             // e_flags
            w.Write((ushort)64);                     // e_ehsize
            w.Write((ushort)0);                      // e_phentsize
            w.Write((ushort)0);                      // e_phnum
            w.Write((ushort)64);                     // e_shentsize
            w.Write((ushort)(all.Count + 1));        // e_shnum
            w.Write((ushort)all.Count);              // e_shstrndx: .strtab is last
            w.Flush();
            return file.ToArray();
        }

        private static void Align(MemoryStream stream, uint alignment)
        {
            while (alignment > 1 && stream.Length % alignment != 0) stream.WriteByte(0);
        }
    }
}
