using System;

namespace CSharpBpf.Bytecode.Isa
{
    /// <summary>
    /// One eBPF instruction as the fields of its encoding. <c>lddw</c> is one instruction of two
    /// slots: <see cref="NextImmediate"/> holds the immediate of the second slot. Jump and call
    /// offsets count slots, as in the encoding.
    /// </summary>
    public readonly struct Instruction : IEquatable<Instruction>
    {
        /// <summary>Creates an instruction from its raw fields.</summary>
        public Instruction(byte opcode, Register destination, Register source, short offset, int immediate, int nextImmediate = 0)
        {
            Opcode = opcode;
            Destination = destination;
            Source = source;
            Offset = offset;
            Immediate = immediate;
            NextImmediate = nextImmediate;
        }

        /// <summary>The opcode byte.</summary>
        public byte Opcode { get; }
        /// <summary>The destination register field (low nibble of byte 1).</summary>
        public Register Destination { get; }
        /// <summary>The source register field (high nibble of byte 1); for <c>lddw</c> and <c>call</c> a <see cref="LoadImmediateKind"/> or <see cref="CallKind"/>.</summary>
        public Register Source { get; }
        /// <summary>The signed 16-bit offset.</summary>
        public short Offset { get; }
        /// <summary>The signed 32-bit immediate.</summary>
        public int Immediate { get; }
        /// <summary>For <c>lddw</c>, the immediate of the second slot (the upper half of the constant); otherwise 0.</summary>
        public int NextImmediate { get; }

        /// <summary>The instruction class.</summary>
        public InstructionClass Class => Isa.Opcode.ClassOf(Opcode);
        /// <summary>True for the 16-byte <c>lddw</c>.</summary>
        public bool IsWide => Opcode == Isa.Opcode.LoadImmediate64;
        /// <summary>The number of 8-byte slots: 2 for <c>lddw</c>, otherwise 1.</summary>
        public int SlotCount => IsWide ? 2 : 1;
        /// <summary>The 64-bit constant of <c>lddw</c>.</summary>
        public long Constant64 => (long)((uint)Immediate | ((ulong)(uint)NextImmediate << 32));
        /// <summary>True for ALU and ALU64.</summary>
        public bool IsAlu => Class == InstructionClass.Alu || Class == InstructionClass.Alu64;
        /// <summary>True for JMP and JMP32.</summary>
        public bool IsJump => Class == InstructionClass.Jmp || Class == InstructionClass.Jmp32;
        /// <summary>The ALU operation (meaningful when <see cref="IsAlu"/>).</summary>
        public AluOperation AluOperation => (AluOperation)(Opcode & 0xf0);
        /// <summary>The jump operation (meaningful when <see cref="IsJump"/>).</summary>
        public JumpOperation JumpOperation => (JumpOperation)(Opcode & 0xf0);
        /// <summary>K or X (meaningful for ALU and jump classes).</summary>
        public OperandSource OperandSource => (OperandSource)(Opcode & 0x08);
        /// <summary>The access width (meaningful for load/store classes).</summary>
        public MemorySize MemorySize => (MemorySize)(Opcode & 0x18);
        /// <summary>The addressing mode (meaningful for load/store classes).</summary>
        public MemoryMode MemoryMode => (MemoryMode)(Opcode & 0xe0);
        /// <summary>True for helper, local and kfunc calls.</summary>
        public bool IsCall => Class == InstructionClass.Jmp && JumpOperation == JumpOperation.Call;
        /// <summary>True for exit.</summary>
        public bool IsExit => Class == InstructionClass.Jmp && JumpOperation == JumpOperation.Exit;
        /// <summary>The kind of call (meaningful when <see cref="IsCall"/>).</summary>
        public CallKind CallKind => (CallKind)Source;
        /// <summary>The kind of 64-bit immediate (meaningful when <see cref="IsWide"/>).</summary>
        public LoadImmediateKind LoadImmediateKind => (LoadImmediateKind)Source;

        /// <summary>What makes this a cpu v4 instruction (Linux 6.6 and later; before it the verifier reads the new fields as
        /// reserved ones), or null for v1–v3: sdiv/smod, movsx, bswap, sign-extending loads, gotol (RFC 9669's conformance groups).</summary>
        public string? CpuV4Feature =>
            IsAlu && AluOperation is AluOperation.Div or AluOperation.Mod && Offset != 0 ? "signed division (sdiv/smod)"
            : IsAlu && AluOperation == AluOperation.Mov && Offset != 0 ? "a sign-extending move (movsx)"
            : Class == InstructionClass.Alu64 && AluOperation == AluOperation.End ? "an unconditional byte swap (bswap)"
            : Class == InstructionClass.Ldx && MemoryMode == MemoryMode.MemorySignExtend ? "a sign-extending load (ldsx)"
            : Class == InstructionClass.Jmp32 && JumpOperation == JumpOperation.Ja ? "a long jump (gotol)"
            : null;

        /// <summary>Returns this instruction with another immediate (used to patch relocations).</summary>
        public Instruction WithImmediate(int immediate) => new Instruction(Opcode, Destination, Source, Offset, immediate, NextImmediate);

        // Builders for hand-written programs; they read like the assembly they produce.

        /// <summary><c>op dst, imm</c> (64-bit).</summary>
        public static Instruction Alu64(AluOperation op, Register dst, int imm) => new Instruction(Isa.Opcode.Alu(InstructionClass.Alu64, op, OperandSource.Immediate), dst, 0, 0, imm);
        /// <summary><c>op dst, src</c> (64-bit).</summary>
        public static Instruction Alu64(AluOperation op, Register dst, Register src) => new Instruction(Isa.Opcode.Alu(InstructionClass.Alu64, op, OperandSource.Register), dst, src, 0, 0);
        /// <summary><c>op32 dst, imm</c>.</summary>
        public static Instruction Alu32(AluOperation op, Register dst, int imm) => new Instruction(Isa.Opcode.Alu(InstructionClass.Alu, op, OperandSource.Immediate), dst, 0, 0, imm);
        /// <summary><c>op32 dst, src</c>.</summary>
        public static Instruction Alu32(AluOperation op, Register dst, Register src) => new Instruction(Isa.Opcode.Alu(InstructionClass.Alu, op, OperandSource.Register), dst, src, 0, 0);
        /// <summary><c>mov dst, imm</c>.</summary>
        public static Instruction Mov64(Register dst, int imm) => Alu64(AluOperation.Mov, dst, imm);
        /// <summary><c>mov dst, src</c>.</summary>
        public static Instruction Mov64(Register dst, Register src) => Alu64(AluOperation.Mov, dst, src);
        /// <summary><c>lddw dst, constant</c>.</summary>
        public static Instruction LoadImmediate64(Register dst, long value, LoadImmediateKind kind = LoadImmediateKind.Constant)
            => new Instruction(Isa.Opcode.LoadImmediate64, dst, (Register)kind, 0, (int)value, (int)(value >> 32));
        /// <summary><c>ldx{size} dst, [src+off]</c>.</summary>
        public static Instruction Load(MemorySize size, Register dst, Register src, short offset)
            => new Instruction(Isa.Opcode.Memory(InstructionClass.Ldx, MemoryMode.Memory, size), dst, src, offset, 0);
        /// <summary><c>ldxs{size} dst, [src+off]</c> (sign-extending).</summary>
        public static Instruction LoadSignExtend(MemorySize size, Register dst, Register src, short offset)
            => new Instruction(Isa.Opcode.Memory(InstructionClass.Ldx, MemoryMode.MemorySignExtend, size), dst, src, offset, 0);
        /// <summary><c>stx{size} [dst+off], src</c>.</summary>
        public static Instruction Store(MemorySize size, Register dst, short offset, Register src)
            => new Instruction(Isa.Opcode.Memory(InstructionClass.Stx, MemoryMode.Memory, size), dst, src, offset, 0);
        /// <summary><c>st{size} [dst+off], imm</c>.</summary>
        public static Instruction StoreImmediate(MemorySize size, Register dst, short offset, int imm)
            => new Instruction(Isa.Opcode.Memory(InstructionClass.St, MemoryMode.Memory, size), dst, 0, offset, imm);
        /// <summary><c>lock op [dst+off], src</c> (size Word or DoubleWord).</summary>
        public static Instruction Atomic(MemorySize size, AtomicOperation op, Register dst, short offset, Register src)
            => new Instruction(Isa.Opcode.Memory(InstructionClass.Stx, MemoryMode.Atomic, size), dst, src, offset, (int)op);
        /// <summary><c>jop dst, imm, +off</c> (64-bit compare).</summary>
        public static Instruction Jump(JumpOperation op, Register dst, int imm, short offset) => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, op, OperandSource.Immediate), dst, 0, offset, imm);
        /// <summary><c>jop dst, src, +off</c> (64-bit compare).</summary>
        public static Instruction Jump(JumpOperation op, Register dst, Register src, short offset) => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, op, OperandSource.Register), dst, src, offset, 0);
        /// <summary><c>ja +off</c>.</summary>
        public static Instruction Ja(short offset) => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, JumpOperation.Ja, OperandSource.Immediate), 0, 0, offset, 0);
        /// <summary><c>call helper</c>.</summary>
        public static Instruction CallHelper(int helperId) => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, JumpOperation.Call, OperandSource.Immediate), 0, (Register)CallKind.Helper, 0, helperId);
        /// <summary><c>call local +imm</c> (BPF-to-BPF).</summary>
        public static Instruction CallLocal(int relativeSlots) => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, JumpOperation.Call, OperandSource.Immediate), 0, (Register)CallKind.Local, 0, relativeSlots);
        /// <summary><c>exit</c>.</summary>
        public static Instruction Exit() => new Instruction(Isa.Opcode.Jump(InstructionClass.Jmp, JumpOperation.Exit, OperandSource.Immediate), 0, 0, 0, 0);

        /// <inheritdoc/>
        public bool Equals(Instruction other) => Opcode == other.Opcode && Destination == other.Destination && Source == other.Source
            && Offset == other.Offset && Immediate == other.Immediate && NextImmediate == other.NextImmediate;
        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Instruction other && Equals(other);
        /// <inheritdoc/>
        public override int GetHashCode() => (Opcode | ((int)Destination << 8) | ((int)Source << 12) | (Offset << 16)) ^ (Immediate * 31) ^ (NextImmediate * 17);
        /// <summary>Value equality.</summary>
        public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);
        /// <summary>Value inequality.</summary>
        public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);
        /// <summary>The instruction in the conformance suite's assembly syntax.</summary>
        public override string ToString() => Asm.Disassembler.Format(this);
    }
}
