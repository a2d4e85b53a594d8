using CSharpBpf.Bytecode.Isa;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Isa;

/// <summary>The decoder refuses what RFC 9669 does not define, naming the slot and the field.</summary>
public class InstructionDecodeErrorTests
{
    private static InstructionDecodeException Refuse(params byte[] bytes) => Assert.Throws<InstructionDecodeException>(() => InstructionEncoding.Decode(bytes));

    private static readonly byte[] Exit = [0x95, 0, 0, 0, 0, 0, 0, 0];

    [Theory]
    [InlineData(new byte[] { 0x07, 0x10, 0, 0, 1, 0, 0, 0 }, "src")]      // add imm with src set
    [InlineData(new byte[] { 0x0f, 0x21, 0, 0, 1, 0, 0, 0 }, "imm")]      // add reg with imm set
    [InlineData(new byte[] { 0x07, 0x01, 1, 0, 1, 0, 0, 0 }, "offset")]   // add with offset set
    [InlineData(new byte[] { 0x3f, 0x21, 2, 0, 0, 0, 0, 0 }, "offset")]   // div offset neither 0 nor 1
    [InlineData(new byte[] { 0xbc, 0x21, 32, 0, 0, 0, 0, 0 }, "offset")]  // movsx32 of a 32-bit mov
    [InlineData(new byte[] { 0xd4, 0x01, 0, 0, 8, 0, 0, 0 }, "imm")]      // le8
    [InlineData(new byte[] { 0xdf, 0x01, 0, 0, 16, 0, 0, 0 }, "opcode")]  // bswap with X
    [InlineData(new byte[] { 0x8f, 0x01, 0, 0, 0, 0, 0, 0 }, "opcode")]   // neg with X
    [InlineData(new byte[] { 0x05, 0x01, 1, 0, 0, 0, 0, 0 }, "dst")]      // ja with dst
    [InlineData(new byte[] { 0x06, 0x00, 1, 0, 5, 0, 0, 0 }, "offset")]   // ja32 with offset
    [InlineData(new byte[] { 0x85, 0x30, 0, 0, 1, 0, 0, 0 }, "src")]      // call src 3
    [InlineData(new byte[] { 0x8d, 0x00, 0, 0, 0, 0, 0, 0 }, "opcode")]   // callx
    [InlineData(new byte[] { 0x86, 0x00, 0, 0, 1, 0, 0, 0 }, "opcode")]   // call in JMP32
    [InlineData(new byte[] { 0x61, 0x01, 0, 0, 1, 0, 0, 0 }, "imm")]      // ldxw with imm
    [InlineData(new byte[] { 0x99, 0x01, 0, 0, 0, 0, 0, 0 }, "opcode")]   // ldxsdw does not exist
    [InlineData(new byte[] { 0x62, 0x1a, 0, 0, 1, 0, 0, 0 }, "src")]      // stw with src
    [InlineData(new byte[] { 0xd3, 0x1a, 0, 0, 0, 0, 0, 0 }, "opcode")]   // atomic byte
    [InlineData(new byte[] { 0xdb, 0x1a, 0, 0, 0x02, 0, 0, 0 }, "imm")]   // unknown atomic op
    [InlineData(new byte[] { 0x0e, 0x00, 0, 0, 0, 0, 0, 0 }, "opcode")]   // ja32 with X
    [InlineData(new byte[] { 0xe7, 0x00, 0, 0, 0, 0, 0, 0 }, "opcode")]   // ALU64 op 0xe0
    [InlineData(new byte[] { 0x07, 0x0b, 0, 0, 0, 0, 0, 0 }, "dst")]      // r11
    public void Refuses_naming_the_field(byte[] instruction, string field)
    {
        var error = Refuse([.. instruction, .. Exit]);
        Assert.Equal(field, error.Field);
        Assert.Equal(0, error.Index);
        Assert.StartsWith("instruction 0: ", error.Message);
    }

    [Fact]
    public void Names_the_slot_of_a_later_instruction()
    {
        var error = Refuse([0xb7, 0, 0, 0, 0, 0, 0, 0, .. Exit, 0x95, 1, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(2, error.Index);
        Assert.Equal("dst", error.Field);
    }

    [Fact]
    public void Refuses_a_length_that_is_not_whole_slots() => Assert.Equal("length", Refuse(0x95, 0, 0).Field);

    [Fact]
    public void Refuses_lddw_without_its_second_slot() => Assert.Contains("second half is missing", Refuse(0x18, 0, 0, 0, 1, 0, 0, 0).Message);

    [Fact]
    public void Refuses_lddw_whose_second_slot_is_not_blank()
    {
        var error = Refuse(0x18, 0, 0, 0, 1, 0, 0, 0, 0x07, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(1, error.Index);
        Assert.Equal("opcode", error.Field);
    }

    [Fact]
    public void Refuses_an_unknown_lddw_pseudo_source() => Assert.Equal("src", Refuse(0x18, 0x70, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).Field);
}
