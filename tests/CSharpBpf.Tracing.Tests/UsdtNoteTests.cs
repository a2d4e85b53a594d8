using System;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>Reading .note.stapsdt and the operands in it, against readelf and the operand forms compilers write.</summary>
public sealed class UsdtNoteTests
{
    [Theory]
    [MemberData(nameof(UsdtTests.Compilers), MemberType = typeof(UsdtTests))]
    public void Sites_are_the_notes_readelf_lists_with_file_offsets_through_the_segments(string compiler)
    {
        string binary = UsdtTests.Binary(compiler);
        var sites = UsdtProbe.Read(binary);
        var notes = Regex.Matches(ExternalTool.Run("readelf", "-n", binary).EnsureSuccess().Stdout,
            @"Provider: (\S+)\s+Name: (\S+)\s+Location: 0x([0-9a-f]+), Base: 0x[0-9a-f]+, Semaphore: 0x([0-9a-f]+)\s+Arguments: ([^\n]*)");
        Assert.Equal(notes.Select(m => (m.Groups[1].Value, m.Groups[2].Value, Convert.ToUInt64(m.Groups[3].Value, 16), m.Groups[5].Value.Trim())),
            sites.Select(s => (s.Provider, s.Name, s.Address, s.ArgumentText)));

        // The semaphore's file offset holds the symbol csbpf_fired_semaphore's address, translated as readelf -l would.
        var symbols = ExternalTool.Run("readelf", "-sW", binary).EnsureSuccess().Stdout;
        ulong semaphore = Convert.ToUInt64(Regex.Match(symbols, @"([0-9a-f]{16})\s+2 OBJECT\s+\S+\s+\S+\s+\S+ csbpf_fired_semaphore").Groups[1].Value, 16);
        var segments = Regex.Matches(ExternalTool.Run("readelf", "-lW", binary).EnsureSuccess().Stdout,
            @"LOAD\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+)").Select(m => (Offset: Hex(m, 1), Address: Hex(m, 2), Size: Hex(m, 3))).ToList();
        ulong FileOffset(ulong address) => segments.Where(s => address >= s.Address && address < s.Address + s.Size).Select(s => address - s.Address + s.Offset).Single();
        foreach (var site in sites)
        {
            Assert.Equal(FileOffset(site.Address), site.FileOffset);
            Assert.Equal(UsdtArgument.X86_64, site.Machine);
        }
        Assert.All(sites.Where(s => s.Name == "fired"), s => Assert.Equal(FileOffset(semaphore), s.SemaphoreOffset));
    }

    private static ulong Hex(Match m, int group) => Convert.ToUInt64(m.Groups[group].Value, 16);

    [Theory]
    // What gcc and clang write for x86-64 (tests/fixtures/c/usdt.c at -O0 and -O2, python3.11's probes).
    [InlineData("-4@%eax", 4, true, UsdtArgumentKind.Register, 0L, "eax", 80, null, 0, 1)]
    [InlineData("8@%r15", 8, false, UsdtArgumentKind.Register, 0L, "r15", 0, null, 0, 1)]
    [InlineData("4@%r9d", 4, false, UsdtArgumentKind.Register, 0L, "r9d", 64, null, 0, 1)]
    [InlineData("1@%sil", 1, false, UsdtArgumentKind.Register, 0L, "sil", 104, null, 0, 1)]
    [InlineData("-2@$-300", 2, true, UsdtArgumentKind.Constant, -300L, null, 0, null, 0, 1)]
    [InlineData("1@$-56", 1, false, UsdtArgumentKind.Constant, -56L, null, 0, null, 0, 1)]
    [InlineData("8@$0x10", 8, false, UsdtArgumentKind.Constant, 16L, null, 0, null, 0, 1)]
    [InlineData("-8@-16(%rbp)", 8, true, UsdtArgumentKind.Memory, -16L, "rbp", 32, null, 0, 1)]
    [InlineData("-4@112(%rsp)", 4, true, UsdtArgumentKind.Memory, 112L, "rsp", 152, null, 0, 1)]
    [InlineData("8@(%rdi)", 8, false, UsdtArgumentKind.Memory, 0L, "rdi", 112, null, 0, 1)]
    [InlineData("-8@(%rdx,%r8,8)", 8, true, UsdtArgumentKind.IndexedMemory, 0L, "rdx", 96, "r8", 72, 8)]
    [InlineData("4@-4(%rax,%rcx)", 4, false, UsdtArgumentKind.IndexedMemory, -4L, "rax", 80, "rcx", 88, 1)]
    public void X86_64_operands_decode_to_their_pt_regs_offsets(string text, int size, bool signed, UsdtArgumentKind kind, long value,
        string? register, int registerOffset, string? index, int indexOffset, int scale) =>
        Assert.Equal(new UsdtArgument(size, signed, kind, value, register, registerOffset, index, indexOffset, scale), UsdtArgument.Parse(text, UsdtArgument.X86_64));

    [Theory]
    // What clang --target=aarch64-linux-gnu writes, and the forms gcc uses on arm64.
    [InlineData("-4@x0", 4, true, UsdtArgumentKind.Register, 0L, "x0", 0)]
    [InlineData("8@w30", 8, false, UsdtArgumentKind.Register, 0L, "w30", 240)]
    [InlineData("-4@[x15]", 4, true, UsdtArgumentKind.Memory, 0L, "x15", 120)]
    [InlineData("8@[sp, 16]", 8, false, UsdtArgumentKind.Memory, 16L, "sp", 248)]
    [InlineData("-4@[x19, -8]", 4, true, UsdtArgumentKind.Memory, -8L, "x19", 152)]
    [InlineData("-4@-7", 4, true, UsdtArgumentKind.Constant, -7L, null, 0)]
    public void Arm64_operands_decode_to_their_user_pt_regs_offsets(string text, int size, bool signed, UsdtArgumentKind kind, long value, string? register, int registerOffset) =>
        Assert.Equal(new UsdtArgument(size, signed, kind, value, register, registerOffset, null, 0, 1), UsdtArgument.Parse(text, UsdtArgument.Arm64));

    [Fact]
    public void A_note_splits_at_spaces_outside_brackets() =>
        Assert.Equal(new[] { "-4@x0", "8@[sp, 16]", "-4@42" }, UsdtArgument.Split(" -4@x0  8@[sp, 16] -4@42 "));

    [Theory]
    [InlineData("%eax", "does not start with a size")]
    [InlineData("3@%eax", "sizes are 1, 2, 4 or 8 bytes")]
    [InlineData("8@%xmm0", "not an x86-64 general-purpose register")]
    [InlineData("8@(%rax,%rbx,3)", "scales are 1, 2, 4 or 8")]
    [InlineData("8@foo", "not an x86-64 operand")]
    public void Malformed_x86_64_operands_say_what_is_wrong(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => UsdtArgument.Parse(text, UsdtArgument.X86_64)).Message);

    [Fact]
    public void Symbol_relative_operands_are_refused_with_what_to_do_instead()
    {
        var e = Assert.Throws<NotSupportedException>(() => UsdtArgument.Parse("8@counter(%rip)", UsdtArgument.X86_64));
        Assert.Contains("pass the value through a local variable", e.Message);
        Assert.Contains("x0 to x30", Assert.Throws<FormatException>(() => UsdtArgument.Parse("8@x31", UsdtArgument.Arm64)).Message);
        Assert.Contains("x86-64 (62) and arm64 (183)", Assert.Throws<NotSupportedException>(() => UsdtArgument.Parse("8@r1", 243)).Message);
    }
}
