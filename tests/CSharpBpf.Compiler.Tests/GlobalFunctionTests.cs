using System;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>[BpfGlobalFunction]: the object marks the function global in BTF with its prototype, and the kernel verifies
/// it once, on its own, rather than once per call.</summary>
public sealed class GlobalFunctionTests
{
    private const string Source = """
        [BpfObject]
        public static partial class Globals
        {
            public struct Acc { public long Sum; public byte Steps; }

            [BpfGlobalFunction]
            static short Mix(byte b, ref Acc acc, XdpContext ctx)
            {
                for (int i = 0; i < 8; i++) { if (((b >> i) & 1) != 0) acc.Sum += i; else acc.Sum -= 1; }
                acc.Steps++;
                return (short)(acc.Sum + ctx.Length);
            }

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                Acc acc = default;
                long last = 0;
                for (int j = 0; j < 16; j++) last += Mix((byte)j, ref acc, ctx);
                return acc.Steps == 16 && last != 0 ? XdpAction.Pass : XdpAction.Drop;
            }
        }
        """;

    private static byte[] Build() => GeneratorHarness.ObjectFile(GeneratorHarness.Usings + Source);

    [Fact]
    public void The_object_describes_the_function_as_global_with_its_prototype()
    {
        var spec = ElfObjectReader.Read(Build());
        var mix = Assert.Single(spec.Functions, f => f.Name == "Mix");
        Assert.True(mix.IsGlobal);
        var prototype = Assert.IsType<BtfFuncProto>(spec.Types[mix.Prototype - 1]);
        Assert.Equal(new[] { "b", "acc", "ctx" }, prototype.Parameters.Select(p => p.Name));
        Assert.IsType<BtfPointer>(spec.Types[prototype.Parameters[1].Type - 1]);  // ref Acc: a pointer to the struct
        Assert.Equal("xdp_md", Assert.IsType<BtfStruct>(spec.Types[((BtfPointer)spec.Types[prototype.Parameters[2].Type - 1]).Target - 1]).Name);
    }

    [KernelFact]
    public void The_kernel_verifies_it_once_and_the_program_runs()
    {
        using var loaded = BpfObjectFile.Open(Build(), "Globals").Load(captureVerifierLog: true);
        var run = loaded.Program("Run");
        // Verified once, on its own: "is safe for any args that match its prototype" (6.x), "is global and assumed valid" before.
        Assert.Matches(@"Func#1 \('Mix'\) is (safe for any args|global and assumed valid)", run.VerifierLog);
        Assert.Equal(2u, run.TestRun(new byte[64]).ReturnValue); // XDP_PASS
    }
}
