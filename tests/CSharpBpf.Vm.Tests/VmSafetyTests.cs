using System.Linq;
using CSharpBpf.Bytecode.Asm;
using Xunit;

namespace CSharpBpf.Vm.Tests;

/// <summary>What stops a run: every out-of-bounds access, an exhausted budget, a call chain too deep,
/// a missing helper — each with the instruction's slot and the address in the message.</summary>
public class VmSafetyTests
{
    private static ulong Run(string asm, byte[]? memory = null, HelperRegistry? helpers = null, BpfVmOptions? options = null)
        => new BpfVm(Assembler.Assemble(asm), helpers, options).Run(memory ?? []);

    [Theory]
    [InlineData("ldxdw %r0, [%r10-520]\nexit", "load of 8 bytes")]          // below the 512-byte frame
    [InlineData("ldxdw %r0, [%r10+0]\nexit", "load of 8 bytes")]            // r10 is one past the top
    [InlineData("stxw [%r10-2], %r1\nmov %r0, 0\nexit", "store of 4 bytes")]            // straddles the top
    [InlineData("ldxb %r0, [%r1+4]\nexit", "load of 1 bytes")]              // one past a 4-byte input
    [InlineData("mov %r1, 0\nldxb %r0, [%r1+0]\nexit", "null pointer")]     // null
    public void Out_of_bounds_access_stops_the_run_naming_slot_and_address(string asm, string expected)
    {
        var error = Assert.Throws<BpfVmException>(() => Run(asm, [1, 2, 3, 4]));
        Assert.Contains(expected, error.Message);
        Assert.Contains("0x", error.Message);
        Assert.Equal(asm.StartsWith("mov") ? 1 : 0, error.Slot);
    }

    [Fact]
    public void Input_bounds_are_exact()
    {
        Assert.Equal(0x04030201UL, Run("ldxw %r0, [%r1+0]\nexit", [1, 2, 3, 4]));
        Assert.Throws<BpfVmException>(() => Run("ldxw %r0, [%r1+1]\nexit", [1, 2, 3, 4]));
    }

    [Fact]
    public void Without_input_r1_is_null_and_r2_zero()
    {
        Assert.Equal(0UL, Run("mov %r0, %r1\nor %r0, %r2\nexit"));
    }

    [Fact]
    public void Whole_stack_is_usable()
    {
        Assert.Equal(7UL, Run("stdw [%r10-512], 7\nldxdw %r0, [%r10-512]\nexit"));
    }

    [Fact]
    public void An_unbounded_loop_exhausts_the_budget()
    {
        var error = Assert.Throws<BpfVmException>(() => Run("mov %r0, 0\nloop:\nadd %r0, 1\nja loop", options: new BpfVmOptions { InstructionBudget = 1000 }));
        Assert.Contains("budget of 1000", error.Message);
    }

    [Fact]
    public void Falling_off_the_end_is_an_error()
    {
        var error = Assert.Throws<BpfVmException>(() => Run("mov %r0, 1"));
        Assert.Equal(1, error.Slot);
    }

    [Fact]
    public void Call_depth_is_limited_to_eight_frames()
    {
        // Each function calls the next: main + 7 callees fit, an 8th callee does not.
        string Chain(int callees) => string.Concat(System.Linq.Enumerable.Range(0, callees).Select(i => $"f{i}:\ncall local f{i + 1}\nexit\n")) + $"f{callees}:\nmov %r0, 42\nexit";
        Assert.Equal(42UL, Run(Chain(7)));
        var error = Assert.Throws<BpfVmException>(() => Run(Chain(8)));
        Assert.Contains("call depth", error.Message);
    }

    [Fact]
    public void Each_frame_has_its_own_stack_and_callee_saved_registers_survive()
    {
        const string asm = """
            stdw [%r10-8], 1
            mov %r6, 6
            call local f
            ldxdw %r1, [%r10-8]
            add %r0, %r1
            add %r0, %r6
            exit
            f:
            stdw [%r10-8], 100
            mov %r6, 0
            mov %r0, 10
            exit
            """;
        Assert.Equal(17UL, Run(asm));
    }

    [Fact]
    public void Helpers_get_r1_to_r5_and_bounds_checked_memory()
    {
        var helpers = new HelperRegistry().Register(99, "sum_bytes", (in HelperArguments a, VmMemory memory, int slot) =>
        {
            ulong sum = 0;
            foreach (var b in memory.Read(a.R1, (int)a.R2, slot)) sum += b;
            return sum;
        });
        Assert.Equal(10UL, Run("call 99\nexit", [1, 2, 3, 4], helpers));
        var error = Assert.Throws<BpfVmException>(() => Run("mov %r2, 5\ncall 99\nexit", [1, 2, 3, 4], helpers));
        Assert.Equal(1, error.Slot);
    }

    [Fact]
    public void An_unregistered_helper_is_named()
    {
        var error = Assert.Throws<BpfVmException>(() => Run("call 12345\nexit"));
        Assert.Contains("helper 12345", error.Message);
    }

    [Fact]
    public void Pseudo_lddw_and_legacy_packet_loads_are_refused_with_reasons()
    {
        Assert.Contains("relocated", Assert.Throws<BpfVmException>(() => Run("lddw %r0, map_fd(3)\nexit")).Message);
        Assert.Contains("ldabs", Assert.Throws<BpfVmException>(() => Run("ldabsb 0\nexit")).Message);
    }

    [Fact]
    public void Read_only_regions_refuse_stores()
    {
        var memory = new VmMemory();
        ulong address = memory.Map("rodata", [1, 2, 3, 4], writable: false);
        var vm = new BpfVm(Assembler.Assemble("ldxb %r0, [%r1+3]\nstb [%r1+0], 9\nexit"));
        var error = Assert.Throws<BpfVmException>(() => vm.Run(memory, address));
        Assert.Contains("read-only rodata", error.Message);
        Assert.Equal(1, error.Slot);
    }

    [Theory]
    [InlineData("exit", 0, "r0")]                                       // no result written
    [InlineData("jeq %r1, 0, +1\nmov %r0, 1\nexit", 2, "r0")]          // written on one path only
    [InlineData("mov %r0, 0\ncall 5\nadd %r0, %r1\nexit", 2, "r1")]    // helper calls clobber r1–r5
    [InlineData("mov %r0, 0\nadd %r0, %r6\nexit", 1, "r6")]
    public void Reading_an_unwritten_register_is_refused_before_the_run(string asm, int slot, string register)
    {
        var error = Assert.Throws<BpfVmException>(() => new BpfVm(Assembler.Assemble(asm)));
        Assert.Equal(slot, error.Slot);
        Assert.Contains($"reads {register} before", error.Message);
    }
}
