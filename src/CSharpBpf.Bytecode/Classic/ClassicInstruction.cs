using System;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>One classic BPF instruction: struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } (linux/filter.h,
    /// pcap/bpf.h struct bpf_insn). Jump offsets count instructions after the next one, forward only.</summary>
    public readonly struct ClassicInstruction : IEquatable<ClassicInstruction>
    {
        /// <summary>The encoded size: 8 bytes.</summary>
        public const int Size = 8;

        /// <summary>Creates an instruction from its fields.</summary>
        public ClassicInstruction(ushort code, byte jt, byte jf, uint k)
        {
            Code = code;
            Jt = jt;
            Jf = jf;
            K = k;
        }

        /// <summary>The opcode: class | size/operation | mode/source.</summary>
        public ushort Code { get; }
        /// <summary>Instructions to skip when a conditional jump's test holds.</summary>
        public byte Jt { get; }
        /// <summary>Instructions to skip when it fails.</summary>
        public byte Jf { get; }
        /// <summary>The constant operand: an offset, a value, a scratch slot or (for <c>ja</c>) a jump distance.</summary>
        public uint K { get; }

        /// <summary>The class (low three bits of <see cref="Code"/>).</summary>
        public ClassicClass Class => (ClassicClass)(Code & 0x07);
        /// <summary>The load width (meaningful for Ld and Ldx).</summary>
        public ClassicSize LoadSize => (ClassicSize)(Code & 0x18);
        /// <summary>The addressing mode (meaningful for Ld and Ldx).</summary>
        public ClassicMode Mode => (ClassicMode)(Code & 0xe0);
        /// <summary>The ALU operation (meaningful for Alu).</summary>
        public ClassicAluOperation AluOperation => (ClassicAluOperation)(Code & 0xf0);
        /// <summary>The jump operation (meaningful for Jmp).</summary>
        public ClassicJumpOperation JumpOperation => (ClassicJumpOperation)(Code & 0xf0);
        /// <summary>True when the operand of an ALU or jump instruction is X rather than k.</summary>
        public bool UsesX => (Code & 0x08) != 0;
        /// <summary>True for the conditional jumps (jeq, jgt, jge, jset), which use <see cref="Jt"/> and <see cref="Jf"/>.</summary>
        public bool IsConditionalJump => Class == ClassicClass.Jmp && JumpOperation != ClassicJumpOperation.Always;

        /// <summary>A non-jump instruction: <c>BPF_STMT(code, k)</c>.</summary>
        public static ClassicInstruction Statement(ushort code, uint k = 0) => new ClassicInstruction(code, 0, 0, k);

        /// <summary>A jump: <c>BPF_JUMP(code, k, jt, jf)</c>.</summary>
        public static ClassicInstruction Jump(ushort code, uint k, byte jt, byte jf) => new ClassicInstruction(code, jt, jf, k);

        /// <summary>Writes the 8-byte encoding (host order, little-endian here) into <paramref name="destination"/>.</summary>
        public void Encode(Span<byte> destination)
        {
            if (destination.Length < Size) throw new ArgumentException("a classic BPF instruction needs 8 bytes", nameof(destination));
            destination[0] = (byte)Code;
            destination[1] = (byte)(Code >> 8);
            destination[2] = Jt;
            destination[3] = Jf;
            destination[4] = (byte)K;
            destination[5] = (byte)(K >> 8);
            destination[6] = (byte)(K >> 16);
            destination[7] = (byte)(K >> 24);
        }

        /// <summary>Reads one instruction from its 8-byte encoding.</summary>
        public static ClassicInstruction Decode(ReadOnlySpan<byte> source)
        {
            if (source.Length < Size) throw new ArgumentException("a classic BPF instruction is 8 bytes", nameof(source));
            return new ClassicInstruction(
                (ushort)(source[0] | source[1] << 8), source[2], source[3],
                (uint)(source[4] | source[5] << 8 | source[6] << 16 | source[7] << 24));
        }

        /// <inheritdoc/>
        public bool Equals(ClassicInstruction other) => Code == other.Code && Jt == other.Jt && Jf == other.Jf && K == other.K;
        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is ClassicInstruction other && Equals(other);
        /// <inheritdoc/>
        public override int GetHashCode() => (Code | Jt << 16 | Jf << 24) ^ (int)K * 31;
        /// <summary>Equality of all four fields.</summary>
        public static bool operator ==(ClassicInstruction left, ClassicInstruction right) => left.Equals(right);
        /// <summary>Inequality of any field.</summary>
        public static bool operator !=(ClassicInstruction left, ClassicInstruction right) => !left.Equals(right);

        /// <summary>The <c>-dd</c> form: <c>{ 0x28, 0, 0, 0x0000000c }</c>.</summary>
        public override string ToString() => $"{{ 0x{Code:x}, {Jt}, {Jf}, 0x{K:x8} }}";
    }
}
