using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CSharpBpf.Tracing;

/// <summary>
/// One argument of a USDT probe: its size and signedness, and where it is when the probe fires — parsed from the
/// operand the compiler wrote in the probe's <c>.note.stapsdt</c> entry (<c>-4@%edi</c>, <c>8@-24(%rbp)</c>,
/// <c>-4@$42</c> on x86-64; <c>-4@x0</c>, <c>8@[sp, 16]</c>, <c>-4@42</c> on arm64), as SystemTap's sys/sdt.h
/// defines them and libbpf's usdt.c reads them.
/// </summary>
public sealed record UsdtArgument(int Size, bool Signed, UsdtArgumentKind Kind, long Value, string? Register, int RegisterOffset,
    string? IndexRegister, int IndexRegisterOffset, int Scale)
{
    /// <summary>ELF e_machine of x86-64 binaries (EM_X86_64).</summary>
    public const ushort X86_64 = 62;
    /// <summary>ELF e_machine of arm64 binaries (EM_AARCH64).</summary>
    public const ushort Arm64 = 183;

    private static readonly Regex SizePrefix = new(@"^(-?\d+)@(.+)$", RegexOptions.CultureInvariant);
    private static readonly Regex X86Constant = new(@"^\$(-?(?:0x[0-9a-fA-F]+|\d+))$", RegexOptions.CultureInvariant);
    private static readonly Regex X86Register = new(@"^%([a-z0-9]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex X86Memory = new(@"^(-?\d+)?\(%([a-z0-9]+)\)$", RegexOptions.CultureInvariant);
    private static readonly Regex X86Indexed = new(@"^(-?\d+)?\(%([a-z0-9]+),%([a-z0-9]+)(?:,(\d+))?\)$", RegexOptions.CultureInvariant);
    private static readonly Regex Arm64Constant = new(@"^-?\d+$", RegexOptions.CultureInvariant);
    private static readonly Regex Arm64Register = new(@"^(?:[xw]\d+|sp)$", RegexOptions.CultureInvariant);
    private static readonly Regex Arm64Memory = new(@"^\[\s*([xw]\d+|sp)\s*(?:,\s*#?(-?\d+)\s*)?\]$", RegexOptions.CultureInvariant);

    /// <summary>Where the kernel's struct pt_regs keeps each general-purpose register on x86-64
    /// (arch/x86/include/asm/ptrace.h), by every name of it and its low parts.</summary>
    private static readonly Dictionary<string, int> X86Registers = X86RegisterTable();

    /// <summary>Parses one operand, <paramref name="text"/>, of a probe in a binary for <paramref name="machine"/>.</summary>
    /// <exception cref="FormatException">The operand is not one sys/sdt.h writes.</exception>
    /// <exception cref="NotSupportedException">The machine is neither x86-64 nor arm64, or the operand names a symbol
    /// (<c>counter(%rip)</c>), whose run-time address the probe cannot know.</exception>
    public static UsdtArgument Parse(string text, ushort machine)
    {
        var sized = SizePrefix.Match(text.Trim());
        if (!sized.Success) throw new FormatException($"USDT argument '{text}' does not start with a size (N@ or -N@)");
        int size = int.Parse(sized.Groups[1].Value, CultureInfo.InvariantCulture);
        if (Math.Abs(size) is not (1 or 2 or 4 or 8)) throw new FormatException($"USDT argument '{text}' has size {size}: sizes are 1, 2, 4 or 8 bytes, negative when signed");
        string operand = sized.Groups[2].Value.Trim();
        var argument = machine switch
        {
            X86_64 => ParseX86(operand, text),
            Arm64 => ParseArm64(operand, text),
            _ => throw new NotSupportedException($"USDT arguments of ELF machine {machine} are not decoded: x86-64 (62) and arm64 (183) are"),
        };
        return argument with { Size = Math.Abs(size), Signed = size < 0 };
    }

    /// <summary>Splits a note's argument string into operands: spaces separate them, except inside arm64's brackets.</summary>
    public static IReadOnlyList<string> Split(string arguments)
    {
        var operands = new List<string>();
        int depth = 0, start = -1;
        for (int i = 0; i <= arguments.Length; i++)
        {
            char c = i < arguments.Length ? arguments[i] : ' ';
            if (c is '[' or '(') depth++;
            else if (c is ']' or ')') depth--;
            if (char.IsWhiteSpace(c) && depth <= 0)
            {
                if (start >= 0) operands.Add(arguments[start..i]);
                start = -1;
            }
            else if (start < 0) start = i;
        }
        return operands;
    }

    private static UsdtArgument ParseX86(string operand, string text)
    {
        Match m;
        if ((m = X86Constant.Match(operand)).Success)
        {
            string digits = m.Groups[1].Value;
            bool negative = digits.StartsWith('-');
            string magnitude = negative ? digits[1..] : digits;
            long value = magnitude.StartsWith("0x", StringComparison.Ordinal)
                ? (long)ulong.Parse(magnitude[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : (long)ulong.Parse(magnitude, CultureInfo.InvariantCulture);
            return new UsdtArgument(0, false, UsdtArgumentKind.Constant, negative ? -value : value, null, 0, null, 0, 1);
        }
        if ((m = X86Register.Match(operand)).Success)
            return new UsdtArgument(0, false, UsdtArgumentKind.Register, 0, m.Groups[1].Value, X86Offset(m.Groups[1].Value, text), null, 0, 1);
        if ((m = X86Memory.Match(operand)).Success)
            return new UsdtArgument(0, false, UsdtArgumentKind.Memory, Offset(m.Groups[1]), m.Groups[2].Value, X86Offset(m.Groups[2].Value, text), null, 0, 1);
        if ((m = X86Indexed.Match(operand)).Success)
        {
            int scale = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 1;
            if (scale is not (1 or 2 or 4 or 8)) throw new FormatException($"USDT argument '{text}' has index scale {scale}: x86-64 scales are 1, 2, 4 or 8");
            return new UsdtArgument(0, false, UsdtArgumentKind.IndexedMemory, Offset(m.Groups[1]), m.Groups[2].Value, X86Offset(m.Groups[2].Value, text),
                m.Groups[3].Value, X86Offset(m.Groups[3].Value, text), scale);
        }
        if (operand.Contains("(%rip)", StringComparison.Ordinal))
            throw new NotSupportedException($"USDT argument '{text}' is a symbol's address relative to the instruction pointer, which a probe cannot resolve (libbpf cannot either): " +
                "pass the value through a local variable in the probed program");
        throw new FormatException($"USDT argument '{text}' is not an x86-64 operand sys/sdt.h writes ($constant, %register, offset(%register) or offset(%base,%index,scale))");
    }

    private static UsdtArgument ParseArm64(string operand, string text)
    {
        Match m;
        if (Arm64Constant.IsMatch(operand))
            return new UsdtArgument(0, false, UsdtArgumentKind.Constant, long.Parse(operand, CultureInfo.InvariantCulture), null, 0, null, 0, 1);
        if (Arm64Register.IsMatch(operand))
            return new UsdtArgument(0, false, UsdtArgumentKind.Register, 0, operand, Arm64Offset(operand, text), null, 0, 1);
        if ((m = Arm64Memory.Match(operand)).Success)
            return new UsdtArgument(0, false, UsdtArgumentKind.Memory, Offset(m.Groups[2]), m.Groups[1].Value, Arm64Offset(m.Groups[1].Value, text), null, 0, 1);
        throw new FormatException($"USDT argument '{text}' is not an arm64 operand sys/sdt.h writes (constant, register, [register] or [register, offset])");
    }

    private static long Offset(Group group) => group.Success ? long.Parse(group.Value, CultureInfo.InvariantCulture) : 0;

    private static int X86Offset(string register, string text) =>
        X86Registers.TryGetValue(register, out int offset) ? offset
            : throw new FormatException($"USDT argument '{text}' names register %{register}, which is not an x86-64 general-purpose register");

    /// <summary>struct user_pt_regs on arm64: x0…x30 at 8-byte steps, then sp (arch/arm64/include/uapi/asm/ptrace.h).</summary>
    private static int Arm64Offset(string register, string text)
    {
        if (register == "sp") return 31 * 8;
        int index = int.Parse(register[1..], CultureInfo.InvariantCulture);
        return index <= 30 ? index * 8 : throw new FormatException($"USDT argument '{text}' names register {register}: arm64 has x0 to x30");
    }

    private static Dictionary<string, int> X86RegisterTable()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(int offset, params string[] names)
        {
            foreach (var name in names) table[name] = offset;
        }
        Add(80, "rax", "eax", "ax", "al");
        Add(40, "rbx", "ebx", "bx", "bl");
        Add(88, "rcx", "ecx", "cx", "cl");
        Add(96, "rdx", "edx", "dx", "dl");
        Add(104, "rsi", "esi", "si", "sil");
        Add(112, "rdi", "edi", "di", "dil");
        Add(32, "rbp", "ebp", "bp", "bpl");
        Add(152, "rsp", "esp", "sp", "spl");
        Add(128, "rip");
        int[] numbered = { 72, 64, 56, 48, 24, 16, 8, 0 }; // r8 … r15
        for (int i = 0; i < numbered.Length; i++) Add(numbered[i], $"r{i + 8}", $"r{i + 8}d", $"r{i + 8}w", $"r{i + 8}b");
        return table;
    }
}
