using System.Linq;
using CSharpBpf.Bytecode.Classic;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Classic;

/// <summary>Each of the kernel's rules, with the instruction it names. The kernel itself judges random programs in
/// CSharpBpf.Kernel.Tests (ClassicKernelTests).</summary>
public sealed class ClassicValidatorTests
{
    private static ClassicValidationError Single(string listing) => Assert.Single(ClassicAssembler.Assemble(listing).Validate());

    [Theory]
    [InlineData("ld #1\ndiv #0\nret a", 1, "division by zero")]
    [InlineData("ld #1\nmod #0\nret a", 1, "division by zero")]
    [InlineData("ld #1\nlsh #32\nret a", 1, "shift")]
    [InlineData("ld #1\nst M[16]\nret a", 1, "scratch slot")]
    [InlineData("ld [-4032]\nret a", 0, "ancillary")]
    [InlineData("ldb [-4095]\nret a", 0, "ancillary")]
    [InlineData("ld #1\nret a\nld #2", 2, "last instruction")]
    [InlineData("ld M[3]\nret a", 0, "scratch read before write")]
    [InlineData("ldh [12]\njeq #1 jt 2 jf 3\nst M[1]\nld M[1]\nret a", 3, "scratch read before write")]
    public void Names_the_instruction_and_the_rule(string listing, int index, string rule)
    {
        var error = Single(listing);
        Assert.Equal((index, rule), (error.Index, error.Rule));
    }

    [Fact]
    public void A_slot_written_on_every_path_may_be_read()
    {
        var program = ClassicAssembler.Assemble("ldh [12]\njeq #1 jt 2 jf 4\nst M[1]\nja 5\nst M[1]\nld M[1]\nret a");
        Assert.Empty(program.Validate());
    }

    [Fact]
    public void Jumps_past_the_end_are_refused()
    {
        var program = new ClassicProgram(new[]
        {
            ClassicInstruction.Jump(ClassicOpcode.JeqK, 0, 0, 5),
            ClassicInstruction.Statement(ClassicOpcode.Ja, 1),
            ClassicInstruction.Statement(ClassicOpcode.RetK),
        });
        var errors = program.Validate();
        Assert.Equal(new[] { (0, "jump range"), (1, "jump range") }, errors.Select(e => (e.Index, e.Rule)));
    }

    [Fact]
    public void Unknown_codes_empty_and_oversized_programs_are_refused()
    {
        Assert.Equal("opcode", Assert.Single(new ClassicProgram(new[] { ClassicInstruction.Statement(0x0e), ClassicInstruction.Statement(ClassicOpcode.RetK) }).Validate()).Rule);
        Assert.Equal("length", Assert.Single(new ClassicProgram(System.Array.Empty<ClassicInstruction>()).Validate()).Rule);
        var big = new ClassicProgram(Enumerable.Repeat(ClassicInstruction.Statement(ClassicOpcode.RetK), ClassicValidator.MaxInstructions + 1));
        Assert.Equal((-1, "length"), (Assert.Single(big.Validate()).Index, "length"));
        Assert.Empty(new ClassicProgram(Enumerable.Repeat(ClassicInstruction.Statement(ClassicOpcode.RetK), ClassicValidator.MaxInstructions)).Validate());
    }

    [Fact]
    public void Messages_quote_the_instruction_and_say_what_is_allowed()
    {
        var error = Single("ld #1\nlsh #40\nret a");
        Assert.Equal("instruction 1: 'lsh #40' shifts a 32-bit A by 40; constant shifts are 0 to 31", error.ToString());
    }
}
