namespace CSharpBpf.Bytecode.Elf
{
    /// <summary>An Elf64_Sym: name, section index, value (offset in the section), size, type and binding.</summary>
    public readonly record struct ElfSymbol(string Name, int Section, ulong Value, ulong Size, byte Type, byte Bind)
    {
        /// <summary>STT_NOTYPE</summary>
        public const byte TypeNone = 0;
        /// <summary>STT_OBJECT (maps, globals, the license)</summary>
        public const byte TypeObject = 1;
        /// <summary>STT_FUNC (programs and subprograms)</summary>
        public const byte TypeFunc = 2;
        /// <summary>STT_SECTION</summary>
        public const byte TypeSection = 3;
        /// <summary>STB_LOCAL</summary>
        public const byte BindLocal = 0;
        /// <summary>STB_GLOBAL</summary>
        public const byte BindGlobal = 1;

        /// <summary>The null symbol every table starts with.</summary>
        public static ElfSymbol Null => new ElfSymbol("", 0, 0, 0, TypeNone, BindLocal);
    }
}
