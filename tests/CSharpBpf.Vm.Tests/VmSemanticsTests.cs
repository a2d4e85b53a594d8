using CSharpBpf.Bytecode.Asm;
using Xunit;

namespace CSharpBpf.Vm.Tests;

/// <summary>Edge cases of RFC 9669 arithmetic the conformance files leave thin.</summary>
public class VmSemanticsTests
{
    private static ulong Run(string asm) => new BpfVm(Assembler.Assemble(asm + "\nexit")).Run([]);

    [Theory]
    [InlineData("mov %r0, -1\nadd32 %r0, 1", 0UL)]                                          // 32-bit wraps and zero-extends
    [InlineData("mov %r0, -1\nmov32 %r0, %r0", 0xffffffffUL)]                              // mov32 clears the upper half
    [InlineData("mov %r0, 7\ndiv %r0, 0", 0UL)]                                             // div by zero gives 0
    [InlineData("mov %r0, 7\nmod %r0, 0", 7UL)]                                             // mod by zero keeps dst
    [InlineData("mov %r0, -1\nmod32 %r0, 0", 0xffffffffUL)]                                // ... and 32-bit zeroes the upper half
    [InlineData("lddw %r0, 0x8000000000000000\nsdiv %r0, -1", 0x8000000000000000UL)]       // LLONG_MIN / -1
    [InlineData("lddw %r0, 0x8000000000000000\nsmod %r0, -1", 0UL)]                        // LLONG_MIN % -1
    [InlineData("mov %r0, -7\nsmod %r0, 2", unchecked((ulong)-1L))]                        // sign follows the dividend
    [InlineData("mov %r0, 1\nlsh %r0, 65", 2UL)]                                            // shift counts are masked
    [InlineData("mov32 %r0, 0x80000000\narsh32 %r0, 31", 0xffffffffUL)]
    [InlineData("mov %r0, 0xff\nmovsx864 %r0, %r0", ulong.MaxValue)]
    [InlineData("mov %r0, 0xff\nmovsx832 %r0, %r0", 0xffffffffUL)]
    [InlineData("lddw %r0, 0x1122334455667788\nbe16 %r0", 0x8877UL)]
    [InlineData("lddw %r0, 0x1122334455667788\nle32 %r0", 0x55667788UL)]
    [InlineData("lddw %r0, 0x1122334455667788\nbswap64 %r0", 0x8877665544332211UL)]
    [InlineData("mov %r0, -1\njsgt %r0, 0, +1\nmov %r0, 5", 5UL)]                           // signed compare
    [InlineData("lddw %r0, 0x100000001\njeq32 %r0, 1, +1\nmov %r0, 5", 0x100000001UL)]     // jmp32 sees the low half
    public void Computes_per_RFC_9669(string asm, ulong expected) => Assert.Equal(expected, Run(asm));

    [Fact]
    public void Atomics_fetch_old_values_and_cmpxchg_compares_r0()
    {
        Assert.Equal(3UL, Run("stdw [%r10-8], 3\nmov %r1, 4\nlock fetch add [%r10-8], %r1\nmov %r0, %r1"));
        Assert.Equal(7UL, Run("stdw [%r10-8], 3\nmov %r1, 4\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]"));
        Assert.Equal(9UL, Run("stdw [%r10-8], 3\nmov %r0, 3\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]"));
        Assert.Equal(3UL, Run("stdw [%r10-8], 3\nmov %r0, 4\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]"));
    }

    [Fact]
    public void Counts_executed_instructions()
    {
        var vm = new BpfVm(Assembler.Assemble("mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 10, loop\nexit"));
        Assert.Equal(10UL, vm.Run([]));
        Assert.Equal(1 + 10 * 2 + 1, vm.ExecutedInstructions);
    }
}
