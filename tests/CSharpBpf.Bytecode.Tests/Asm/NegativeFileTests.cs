using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Asm;

/// <summary>The suite's negative/ files: malformed assembly is refused by the assembler with a
/// location, reserved fields are refused by the decoder with the field's name. The two files that
/// are about execution (error, incorrect_return_value_high_bits) are the VM tests' business.</summary>
public class NegativeFileTests
{
    public static TheoryData<string> InvalidAssembly => Rows("invalid_");
    public static TheoryData<string> UnusedFields => Rows("unused-");

    [Theory]
    [MemberData(nameof(InvalidAssembly))]
    public void Invalid_assembly_is_refused_with_line_and_column(string name)
    {
        var test = ConformanceCase.Negative(name);
        var error = Assert.Throws<AssemblyException>(() => Assembler.Assemble(test.Asm ?? ""));
        Assert.True(error.Line >= 1 && error.Column >= 1, error.Message);
        Assert.StartsWith($"line {error.Line}, column {error.Column}: ", error.Message);
    }

    [Theory]
    [MemberData(nameof(UnusedFields))]
    public void A_set_reserved_field_is_refused_at_decode_naming_the_field(string name)
    {
        var test = ConformanceCase.Negative(name);
        Assert.NotNull(test.Raw);
        var error = Assert.Throws<InstructionDecodeException>(() => InstructionEncoding.Decode(test.Raw));
        // unused-<instruction>-<field>.data: the decoder must blame exactly that field.
        string field = name.Substring(name.LastIndexOf('-') + 1);
        Assert.Equal(field, error.Field);
        Assert.Equal(0, error.Index);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("empty_instructions")]
    public void A_file_without_instructions_is_refused(string name)
    {
        // Neither file has a statement; the kernel refuses empty programs too (EINVAL).
        var test = ConformanceCase.Negative(name);
        var error = Assert.Throws<AssemblyException>(() => Assembler.Assemble(test.Asm ?? ""));
        Assert.Contains("no instructions", error.Message);
    }

    [Fact]
    public void Every_negative_file_is_covered()
    {
        int covered = InvalidAssembly.Count + UnusedFields.Count + 2 /* empty* */ + 2 /* error, incorrect_return_value_high_bits: VM tests */;
        Assert.Equal(System.Linq.Enumerable.Count(ConformanceCase.NegativeNames()), covered);
    }

    private static TheoryData<string> Rows(string prefix)
    {
        var rows = new TheoryData<string>();
        foreach (var n in ConformanceCase.NegativeNames())
            if (n.StartsWith(prefix, System.StringComparison.Ordinal)) rows.Add(n);
        return rows;
    }
}
