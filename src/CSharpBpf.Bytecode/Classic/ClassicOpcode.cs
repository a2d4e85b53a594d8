namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>The class of a classic BPF instruction: the low three bits of its code (linux/bpf_common.h).</summary>
    public enum ClassicClass : ushort
    {
        /// <summary>Load into A.</summary>
        Ld = 0x00,
        /// <summary>Load into X.</summary>
        Ldx = 0x01,
        /// <summary>Store A into scratch memory.</summary>
        St = 0x02,
        /// <summary>Store X into scratch memory.</summary>
        Stx = 0x03,
        /// <summary>32-bit arithmetic on A.</summary>
        Alu = 0x04,
        /// <summary>Jumps (forward only).</summary>
        Jmp = 0x05,
        /// <summary>Return: ends the program with a value.</summary>
        Ret = 0x06,
        /// <summary>Register transfers (tax, txa).</summary>
        Misc = 0x07,
    }

    /// <summary>The width of a load (bits 3–4 of the code).</summary>
    public enum ClassicSize : ushort
    {
        /// <summary>32 bits.</summary>
        Word = 0x00,
        /// <summary>16 bits.</summary>
        Half = 0x08,
        /// <summary>8 bits.</summary>
        Byte = 0x10,
    }

    /// <summary>The addressing mode of a load or store (bits 5–7 of the code).</summary>
    public enum ClassicMode : ushort
    {
        /// <summary>The constant k.</summary>
        Immediate = 0x00,
        /// <summary>The packet at offset k (big-endian).</summary>
        Absolute = 0x20,
        /// <summary>The packet at offset X + k (big-endian).</summary>
        Indirect = 0x40,
        /// <summary>Scratch memory word M[k].</summary>
        Memory = 0x60,
        /// <summary>The packet length.</summary>
        Length = 0x80,
        /// <summary>4 × (the packet byte at k &amp; 0xf): the IPv4 header length (ldxb only).</summary>
        MultiplyShift = 0xa0,
    }

    /// <summary>An ALU operation (bits 4–7 of the code).</summary>
    public enum ClassicAluOperation : ushort
    {
        /// <summary>A += operand.</summary>
        Add = 0x00,
        /// <summary>A -= operand.</summary>
        Sub = 0x10,
        /// <summary>A *= operand.</summary>
        Mul = 0x20,
        /// <summary>A /= operand (unsigned; by X = 0 the program returns 0).</summary>
        Div = 0x30,
        /// <summary>A |= operand.</summary>
        Or = 0x40,
        /// <summary>A &amp;= operand.</summary>
        And = 0x50,
        /// <summary>A &lt;&lt;= operand.</summary>
        Lsh = 0x60,
        /// <summary>A &gt;&gt;= operand (logical).</summary>
        Rsh = 0x70,
        /// <summary>A = -A.</summary>
        Neg = 0x80,
        /// <summary>A %= operand (unsigned; by X = 0 the program returns 0).</summary>
        Mod = 0x90,
        /// <summary>A ^= operand.</summary>
        Xor = 0xa0,
    }

    /// <summary>A jump operation (bits 4–7 of the code). Comparisons are unsigned, 32-bit, of A with the operand.</summary>
    public enum ClassicJumpOperation : ushort
    {
        /// <summary><c>ja</c>: always, by k.</summary>
        Always = 0x00,
        /// <summary><c>jeq</c>: A == operand.</summary>
        Equal = 0x10,
        /// <summary><c>jgt</c>: A &gt; operand.</summary>
        Greater = 0x20,
        /// <summary><c>jge</c>: A &gt;= operand.</summary>
        GreaterOrEqual = 0x30,
        /// <summary><c>jset</c>: (A &amp; operand) != 0.</summary>
        AnyBitSet = 0x40,
    }

    /// <summary>The codes of classic BPF (struct sock_filter's <c>code</c>), as linux/filter.h and pcap/bpf.h define
    /// them. Every code the Linux kernel accepts has a name here.</summary>
    public static class ClassicOpcode
    {
#pragma warning disable CS1591 // the names are the instructions' mnemonics: ld/ldh/ldb × mode, ALU op × K/X, jumps, ret, tax/txa.
        public const ushort LdWAbs = 0x20, LdHAbs = 0x28, LdBAbs = 0x30;
        public const ushort LdWInd = 0x40, LdHInd = 0x48, LdBInd = 0x50;
        public const ushort LdImm = 0x00, LdMem = 0x60, LdLen = 0x80;
        public const ushort LdxImm = 0x01, LdxMem = 0x61, LdxLen = 0x81, LdxMsh = 0xb1;
        public const ushort St = 0x02, Stx = 0x03;
        public const ushort Neg = 0x84;
        public const ushort Ja = 0x05, JeqK = 0x15, JgtK = 0x25, JgeK = 0x35, JsetK = 0x45;
        public const ushort JeqX = 0x1d, JgtX = 0x2d, JgeX = 0x3d, JsetX = 0x4d;
        public const ushort RetK = 0x06, RetA = 0x16;
        public const ushort Tax = 0x07, Txa = 0x87;
#pragma warning restore CS1591

        /// <summary>The ALU code for <paramref name="operation"/> with the constant k (<paramref name="x"/> false) or X as operand.</summary>
        public static ushort Alu(ClassicAluOperation operation, bool x) => (ushort)((ushort)ClassicClass.Alu | (ushort)operation | (x ? 0x08 : 0));

        /// <summary>The jump code for <paramref name="operation"/> with the constant k (<paramref name="x"/> false) or X as operand.</summary>
        public static ushort Jump(ClassicJumpOperation operation, bool x) => (ushort)((ushort)ClassicClass.Jmp | (ushort)operation | (x ? 0x08 : 0));
    }
}
