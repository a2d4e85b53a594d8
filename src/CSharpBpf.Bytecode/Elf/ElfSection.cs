namespace CSharpBpf.Bytecode.Elf
{
    /// <summary>A section to write: its header fields and contents (Elf64_Shdr).</summary>
    public sealed class ElfSection
    {
        /// <summary>SHT_PROGBITS</summary>
        public const uint ProgBits = 1;
        /// <summary>SHT_SYMTAB</summary>
        public const uint SymbolTable = 2;
        /// <summary>SHT_STRTAB</summary>
        public const uint StringTable = 3;
        /// <summary>SHT_NOBITS (.bss: a size, no bytes in the file)</summary>
        public const uint NoBits = 8;
        /// <summary>SHT_REL</summary>
        public const uint Rel = 9;
        /// <summary>SHF_WRITE</summary>
        public const uint Write = 1;
        /// <summary>SHF_ALLOC</summary>
        public const uint Alloc = 2;
        /// <summary>SHF_EXECINSTR</summary>
        public const uint Exec = 4;

        /// <summary>Creates a section.</summary>
        public ElfSection(string name, uint type, uint flags, byte[] data, uint alignment, int link = 0, int info = 0, uint entrySize = 0)
        {
            Name = name;
            Type = type;
            Flags = flags;
            Data = data;
            Alignment = alignment;
            Link = link;
            Info = info;
            EntrySize = entrySize;
        }

        /// <summary>sh_name's string.</summary>
        public string Name { get; }
        /// <summary>sh_type</summary>
        public uint Type { get; }
        /// <summary>sh_flags</summary>
        public uint Flags { get; }
        /// <summary>The contents (for NOBITS, only the length matters).</summary>
        public byte[] Data { get; }
        /// <summary>sh_addralign</summary>
        public uint Alignment { get; }
        /// <summary>sh_link</summary>
        public int Link { get; }
        /// <summary>sh_info</summary>
        public int Info { get; }
        /// <summary>sh_entsize</summary>
        public uint EntrySize { get; }
    }
}
