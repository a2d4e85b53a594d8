using System.Collections.Generic;

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
}
