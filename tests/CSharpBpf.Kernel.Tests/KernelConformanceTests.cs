using System.Collections.Generic;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Kernel.Tests;

/// <summary>The conformance suite in the real kernel: each file is loaded through the verifier, run
/// with BPF_PROG_TEST_RUN, and the kernel's r0 must equal both the file's result and our VM's.
/// Where the kernel refuses a file, the reason is recorded in <see cref="KernelDisagreements"/> and
/// the test asserts the refusal still happens, so the table cannot go stale; on kernels before 6.6 (6.1 in the kernel
/// matrix) files using cpu v4 instructions must be refused with the verifier's words for them.</summary>
public class KernelConformanceTests
{
    [KernelTheory]
    [MemberData(nameof(ConformanceCase.TestRows), MemberType = typeof(ConformanceCase))]
    public void Kernel_agrees_with_the_file_and_our_vm(string name)
    {
        var test = ConformanceCase.Test(name);
        if (name == "callx")
        {
            // No bytes to load: callx is refused at assembly, as the kernel refuses opcode 0x8d.
            Assert.Throws<AssemblyException>(() => Assembler.Assemble(test.Asm!));
            return;
        }
        var program = Assembler.Assemble(test.Asm!);

        var reason = KernelDisagreements.Refused.GetValueOrDefault(name) ?? KernelDisagreements.RefusedBeforeCpuV4(program);
        if (reason != null)
        {
            var refusal = Assert.Throws<BpfException>(() => KernelConformanceHarness.Run(program, test.Memory));
            Assert.Contains(reason.LogExcerpt, refusal.VerifierLog ?? refusal.Message);
            return;
        }

        ulong kernel = KernelConformanceHarness.Run(program, test.Memory);
        ulong vm = new BpfVm(program).Run(test.Memory);
        Assert.Equal(test.Result, kernel);
        Assert.Equal(kernel, vm);
    }
}
