namespace CSharpBpf.Bytecode.Isa
{
    // An eBPF instruction is 64 bits, little-endian (RFC 9669 §3):
    //
    //   msb                                                        lsb
    //   +------------------------+----------------+----+----+--------+
    //   | immediate (32)         | offset (16)    |src |dst | opcode |
    //   +------------------------+----------------+----+----+--------+
    //
    // The 8-bit opcode is split by class. Arithmetic and jump classes:
    //
    //   +-----------+---+-------+
    //   | op (4)    | s | class |    s: 0 = K (immediate), 1 = X (register)
    //   +-----------+---+-------+
    //
    // Load and store classes:
    //
    //   +--------+------+-------+
    //   | mode(3)|size 2| class |
    //   +--------+------+-------+

    /// <summary>The low three bits of an opcode: which family the instruction belongs to.</summary>
    public enum InstructionClass : byte
    {
        /// <summary>Non-standard loads: the 16-byte <c>lddw</c> and the legacy packet loads.</summary>
        Ld = 0x00,
        /// <summary>Load into a register from memory.</summary>
        Ldx = 0x01,
        /// <summary>Store an immediate into memory.</summary>
        St = 0x02,
        /// <summary>Store a register into memory, and the atomic operations.</summary>
        Stx = 0x03,
        /// <summary>32-bit arithmetic; results are zero-extended to 64 bits.</summary>
        Alu = 0x04,
        /// <summary>64-bit jumps, calls and exit.</summary>
        Jmp = 0x05,
        /// <summary>Jumps that compare the low 32 bits.</summary>
        Jmp32 = 0x06,
        /// <summary>64-bit arithmetic.</summary>
        Alu64 = 0x07,
    }

    /// <summary>Bit 3 of an arithmetic or jump opcode: where the second operand comes from.</summary>
    public enum OperandSource : byte
    {
        /// <summary>The 32-bit immediate (BPF_K).</summary>
        Immediate = 0x00,
        /// <summary>The source register (BPF_X).</summary>
        Register = 0x08,
    }

    /// <summary>The high four bits of an ALU or ALU64 opcode.</summary>
    public enum AluOperation : byte
    {
        /// <summary>dst += src</summary>
        Add = 0x00,
        /// <summary>dst -= src</summary>
        Sub = 0x10,
        /// <summary>dst *= src</summary>
        Mul = 0x20,
        /// <summary>dst /= src (offset 1: signed); division by zero gives 0.</summary>
        Div = 0x30,
        /// <summary>dst |= src</summary>
        Or = 0x40,
        /// <summary>dst &amp;= src</summary>
        And = 0x50,
        /// <summary>dst &lt;&lt;= src (masked to the width)</summary>
        Lsh = 0x60,
        /// <summary>dst &gt;&gt;= src, logical</summary>
        Rsh = 0x70,
        /// <summary>dst = -dst</summary>
        Neg = 0x80,
        /// <summary>dst %= src (offset 1: signed); modulo by zero leaves dst.</summary>
        Mod = 0x90,
        /// <summary>dst ^= src</summary>
        Xor = 0xa0,
        /// <summary>dst = src (offset 8/16/32: sign-extending movsx)</summary>
        Mov = 0xb0,
        /// <summary>dst &gt;&gt;= src, arithmetic</summary>
        Arsh = 0xc0,
        /// <summary>Byte-order conversion: le/be (ALU) or bswap (ALU64); the immediate is the width.</summary>
        End = 0xd0,
    }

    /// <summary>The high four bits of a JMP or JMP32 opcode.</summary>
    public enum JumpOperation : byte
    {
        /// <summary>Unconditional jump (JMP: 16-bit offset; JMP32: <c>ja32</c>, 32-bit immediate).</summary>
        Ja = 0x00,
        /// <summary>==</summary>
        Jeq = 0x10,
        /// <summary>&gt; unsigned</summary>
        Jgt = 0x20,
        /// <summary>&gt;= unsigned</summary>
        Jge = 0x30,
        /// <summary>dst &amp; src != 0</summary>
        Jset = 0x40,
        /// <summary>!=</summary>
        Jne = 0x50,
        /// <summary>&gt; signed</summary>
        Jsgt = 0x60,
        /// <summary>&gt;= signed</summary>
        Jsge = 0x70,
        /// <summary>Helper, local or kfunc call (JMP class only).</summary>
        Call = 0x80,
        /// <summary>Return from the current function (JMP class only).</summary>
        Exit = 0x90,
        /// <summary>&lt; unsigned</summary>
        Jlt = 0xa0,
        /// <summary>&lt;= unsigned</summary>
        Jle = 0xb0,
        /// <summary>&lt; signed</summary>
        Jslt = 0xc0,
        /// <summary>&lt;= signed</summary>
        Jsle = 0xd0,
    }

    /// <summary>Bits 3–4 of a load/store opcode: the access width.</summary>
    public enum MemorySize : byte
    {
        /// <summary>4 bytes.</summary>
        Word = 0x00,
        /// <summary>2 bytes.</summary>
        Half = 0x08,
        /// <summary>1 byte.</summary>
        Byte = 0x10,
        /// <summary>8 bytes.</summary>
        DoubleWord = 0x18,
    }

    /// <summary>Bits 5–7 of a load/store opcode.</summary>
    public enum MemoryMode : byte
    {
        /// <summary>64-bit immediate (<c>lddw</c>, LD class only).</summary>
        Immediate = 0x00,
        /// <summary>Legacy packet load at an absolute offset (LD class, socket filters).</summary>
        Absolute = 0x20,
        /// <summary>Legacy packet load at a register-relative offset (LD class, socket filters).</summary>
        Indirect = 0x40,
        /// <summary>Regular memory access <c>[reg + offset]</c>.</summary>
        Memory = 0x60,
        /// <summary>Sign-extending load (LDX class).</summary>
        MemorySignExtend = 0x80,
        /// <summary>Atomic read-modify-write (STX class); the immediate selects the operation.</summary>
        Atomic = 0xc0,
    }

    /// <summary>The immediate of an atomic instruction.</summary>
    public enum AtomicOperation
    {
        /// <summary>*addr += src</summary>
        Add = 0x00,
        /// <summary>*addr |= src</summary>
        Or = 0x40,
        /// <summary>*addr &amp;= src</summary>
        And = 0x50,
        /// <summary>*addr ^= src</summary>
        Xor = 0xa0,
        /// <summary>Flag: src receives the old value.</summary>
        Fetch = 0x01,
        /// <summary>src = xchg(*addr, src)</summary>
        Exchange = 0xe1,
        /// <summary>r0 = cmpxchg(*addr, r0, src)</summary>
        CompareExchange = 0xf1,
    }

    /// <summary>The source-register field of <c>lddw</c>: what the 64-bit immediate means (RFC 9669 §5.4).</summary>
    public enum LoadImmediateKind : byte
    {
        /// <summary>A plain 64-bit constant.</summary>
        Constant = 0,
        /// <summary>imm is a map file descriptor; dst gets the map's address.</summary>
        MapByFd = 1,
        /// <summary>imm is a map fd and next_imm an offset into its value; dst gets that address.</summary>
        MapValueByFd = 2,
        /// <summary>imm is the BTF id of a kernel variable.</summary>
        VariableAddress = 3,
        /// <summary>imm is an instruction offset; dst gets the code address of that function.</summary>
        CodeAddress = 4,
        /// <summary>imm is an index into the program's map table.</summary>
        MapByIndex = 5,
        /// <summary>imm is a map index and next_imm an offset into its value.</summary>
        MapValueByIndex = 6,
    }

    /// <summary>The source-register field of <c>call</c>: what the immediate names.</summary>
    public enum CallKind : byte
    {
        /// <summary>imm is a helper function id.</summary>
        Helper = 0,
        /// <summary>imm is the offset, in instructions, of a BPF-to-BPF function.</summary>
        Local = 1,
        /// <summary>imm is the BTF id of a kernel function (kfunc).</summary>
        Kfunc = 2,
    }

    /// <summary>Opcode bytes, built from their fields.</summary>
    public static class Opcode
    {
        /// <summary>The opcode of the first slot of a 16-byte <c>lddw</c>.</summary>
        public const byte LoadImmediate64 = (byte)InstructionClass.Ld | (byte)MemoryMode.Immediate | (byte)MemorySize.DoubleWord;

        /// <summary>The class bits of <paramref name="opcode"/>.</summary>
        public static InstructionClass ClassOf(byte opcode) => (InstructionClass)(opcode & 0x07);

        /// <summary>An ALU or ALU64 opcode.</summary>
        public static byte Alu(InstructionClass cls, AluOperation op, OperandSource source) => (byte)((byte)cls | (byte)op | (byte)source);

        /// <summary>A JMP or JMP32 opcode.</summary>
        public static byte Jump(InstructionClass cls, JumpOperation op, OperandSource source) => (byte)((byte)cls | (byte)op | (byte)source);

        /// <summary>A load or store opcode.</summary>
        public static byte Memory(InstructionClass cls, MemoryMode mode, MemorySize size) => (byte)((byte)cls | (byte)mode | (byte)size);

        /// <summary>The width in bytes of a memory size.</summary>
        public static int Bytes(MemorySize size) => size switch
        {
            MemorySize.Byte => 1,
            MemorySize.Half => 2,
            MemorySize.Word => 4,
            _ => 8,
        };
    }
}
