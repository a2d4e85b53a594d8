using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Vm.Tests;

/// <summary>bpf_conformance in our VM: each file of shared/conformance/tests is one test case,
/// assembled by our assembler and run with the file's memory.</summary>
public class ConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCase.TestRows), MemberType = typeof(ConformanceCase))]
    public void Runs_with_the_expected_result(string name)
    {
        var test = ConformanceCase.Test(name);
        if (name == "callx")
        {
            // callx (call %rN) is not in RFC 9669 and the kernel refuses it: we refuse it at assembly.
            Assert.Throws<AssemblyException>(() => Assembler.Assemble(test.Asm!));
            return;
        }
        var vm = new BpfVm(Assembler.Assemble(test.Asm!));
        Assert.Equal(test.Result, vm.Run(test.Memory));
    }

    [Fact]
    public void Does_not_report_the_wrong_result_of_incorrect_return_value_high_bits()
    {
        // The file claims 0x8977665544332211; the correct 64-bit load gives 0x8877665544332211.
        var test = ConformanceCase.Negative("incorrect_return_value_high_bits");
        var result = new BpfVm(Assembler.Assemble(test.Asm!)).Run(test.Memory);
        Assert.NotEqual(test.Result, result);
        Assert.Equal(0x8877665544332211UL, result);
    }

    [Fact]
    public void Refuses_the_negative_error_file_which_reads_r0_unwritten()
    {
        // negative/error.data: "or %r0, %r10" reads r0 before anything writes it; the kernel says "R0 !read_ok".
        var test = ConformanceCase.Negative("error");
        var error = Assert.Throws<BpfVmException>(() => new BpfVm(Assembler.Assemble(test.Asm!)));
        Assert.Equal(0, error.Slot);
        Assert.Contains("r0 before any instruction writes it", error.Message);
    }
}
