using System.Linq;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Classic;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Classic;

public sealed class ClassicAssemblerTests
{
    [Fact]
    public void Reads_every_operand_form_and_prints_it_back()
    {
        const string listing = """
            (000) ld       [proto]
            (001) ldh      [x + 14]
            (002) ldb      [-1048567]
            (003) ld       #0xffffffff
            (004) ldx      #pktlen
            (005) ldxb     4*([14]&0xf)
            (006) st       M[15]
            (007) ldx      M[15]
            (008) stx      M[0]
            (009) ld       M[0]
            (010) add      #-1
            (011) and      #0xf0
            (012) lsh      x
            (013) xor      #0x5
            (014) neg
            (015) tax
            (016) txa
            (017) jset     x                jt 18	jf 19
            (018) ja       20
            (019) ret
            (020) ld       [-4040]
            (021) ret      #262144
            """;
        var program = ClassicAssembler.Assemble(listing);
        Assert.Equal(22, program.Count);
        // tcpdump pads operandless instructions ("tax      "): compare without trailing blanks, which editors strip.
        Assert.Equal(listing.Replace("\r\n", "\n").Split('\n'), program.ToListing().TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal("(015) tax      ", ClassicDisassembler.Format(program[15], 15));
        Assert.Equal(unchecked((uint)(ClassicOffsets.Ancillary + (int)ClassicAncillary.Protocol)), program[0].K);
        Assert.Equal(ClassicOpcode.RetA, program[19].Code);
        Assert.Empty(program.Validate());
    }

    [Fact]
    public void Reads_listings_without_numbers_and_with_comments()
    {
        var program = ClassicAssembler.Assemble("""
            ldh [12]            ; ethertype
            jeq #0x800 jt 2 jf 3
            ret #65535
            ret #0
            """);
        Assert.Equal(ClassicInstruction.Jump(ClassicOpcode.JeqK, 0x800, 0, 1), program[1]);
    }

    [Theory]
    [InlineData("ldh [12]\nfoo #1\nret #0", 2, 1, "'foo' is not a classic BPF instruction")]
    [InlineData("(000) ldh [12]\n(002) ret #0", 2, 1, "this is instruction 1, numbered (002)")]
    [InlineData("ldh [12]\njeq #0x800 jt 1 jf 2\nret #0", 2, 5, "jt 1: jumps go forward only")]
    [InlineData("ld #0x100000000\nret a", 1, 4, "'0x100000000' is not a 32-bit number")]
    [InlineData("ldh #1\nret a", 1, 5, "a 16- or 8-bit load takes [k], [x + k] or [ancillary]")]
    [InlineData("tax x\nret a", 1, 5, "tax takes no operand")]
    [InlineData("jgt #1\nret a", 1, 5, "then 'jt N jf N'")]
    public void Errors_name_the_line_the_column_and_what_was_expected(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<AssemblyException>(() => ClassicAssembler.Assemble(text));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void A_conditional_jump_reaches_at_most_255_ahead()
    {
        string text = "jeq #1 jt 257 jf 1\n" + string.Concat(System.Linq.Enumerable.Repeat("ret #0\n", 257));
        var error = Assert.Throws<AssemblyException>(() => ClassicAssembler.Assemble(text));
        Assert.Contains("at most 255", error.Reason);
    }

    [Fact]
    public void Unknown_codes_print_as_tcpdump_prints_them_and_decode_losslessly()
    {
        var program = ClassicProgram.Decode(new byte[] { 0x55, 0, 1, 2, 3, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0 });
        Assert.Equal("(000) unimp    0x55             jt 2\tjf 3\n(001) ret      #0\n", program.ToListing());
        Assert.Equal(ClassicInstruction.Jump(0x55, 3, 1, 2), program[0]);
        Assert.Throws<System.FormatException>(() => ClassicProgram.Decode(new byte[7]));
    }

    [Fact]
    public void The_decimal_form_checks_its_count()
    {
        var error = Assert.Throws<AssemblyException>(() => ClassicProgram.Parse("2\n6 0 0 0\n"));
        Assert.Contains("counts 2 instructions, 1 follow", error.Reason);
    }
}
