using System.Collections.Generic;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Testing;

namespace CSharpBpf.Kernel.Tests;

/// <summary>Conformance files the kernel refuses, each with the verifier's words and why. The
/// kernel is authoritative: these programs are outside what it runs, not bugs in it.</summary>
public static class KernelDisagreements
{
    /// <summary>A refusal: an excerpt of the kernel's log that must appear, and the reason in words.</summary>
    public sealed record Refusal(string LogExcerpt, string Reason);

    // RFC 9669 masks shift counts (&31 or &63), which is what the file expects and our VM does; the
    // kernel's check_alu_op refuses a constant count outside [0, width) at load instead of masking.
    private static readonly Refusal ShiftOutOfRange = new("invalid shift",
        "the shift count is a constant outside [0, width): the verifier refuses it (\"invalid shift N\") rather than masking it");

    /// <summary>File name → refusal.</summary>
    public static readonly IReadOnlyDictionary<string, Refusal> Refused = new Dictionary<string, Refusal>
    {
        ["lsh32-imm-high"] = ShiftOutOfRange,
        ["lsh32-imm-neg"] = ShiftOutOfRange,
        ["lsh64-imm-high"] = ShiftOutOfRange,
        ["lsh64-imm-neg"] = ShiftOutOfRange,
        ["rsh32-imm-high"] = ShiftOutOfRange,
        ["rsh32-imm-neg"] = ShiftOutOfRange,
        ["rsh64-imm-high"] = ShiftOutOfRange,
        ["rsh64-imm-neg"] = ShiftOutOfRange,
        ["arsh32-imm-high"] = ShiftOutOfRange,
        ["arsh32-imm-neg"] = ShiftOutOfRange,
        ["arsh64-imm-high"] = ShiftOutOfRange,
        ["arsh64-imm-neg"] = ShiftOutOfRange,
    };

    /// <summary>Why a kernel older than 6.6 refuses <paramref name="program"/>, or null: cpu v4's instructions (signed
    /// division and modulo, sign-extending moves and loads, unconditional byte swaps) came in Linux 6.6, and before it
    /// the verifier reads their new fields as reserved ones. The kernel matrix runs this on 6.1.</summary>
    public static Refusal? RefusedBeforeCpuV4(IReadOnlyList<Instruction> program)
    {
        if (KernelVersion.AtLeast(6, 6)) return null;
        foreach (var i in program)
        {
            if (i.IsAlu && i.AluOperation is AluOperation.Div or AluOperation.Mod && i.Offset != 0)
                return new("BPF_ALU uses reserved fields", "sdiv/smod (offset 1) are cpu v4, Linux 6.6+");
            if (i.IsAlu && i.AluOperation == AluOperation.Mov && i.Offset != 0)
                return new("BPF_MOV uses reserved fields", "movsx (offset 8/16/32) is cpu v4, Linux 6.6+");
            if (i.Class == InstructionClass.Alu64 && i.AluOperation == AluOperation.End)
                return new($"unknown opcode {i.Opcode:x2}", "bswap (ALU64 | END) is cpu v4, Linux 6.6+");
            if (i.Class == InstructionClass.Ldx && i.MemoryMode == MemoryMode.MemorySignExtend)
                return new("BPF_LDX uses reserved fields", "sign-extending loads (BPF_MEMSX) are cpu v4, Linux 6.6+");
        }
        return null;
    }
}
