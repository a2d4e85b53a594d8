extern alias generator;

using System.Linq;
using System.Threading;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Loading;
using Xunit;
using ObjectCompiler = generator::CSharpBpf.Generator.ObjectCompiler;

namespace CSharpBpf.Compiler.Tests;

/// <summary>PtRegs reads the calling convention of the object's architecture: struct pt_regs offsets on x86-64,
/// user_pt_regs.regs[n] on arm64.</summary>
public sealed class PtRegsLayoutTests
{
    private static short[] ContextLoadOffsets(string architecture)
    {
        string source = GeneratorHarness.Usings + $$"""
            [BpfObject(Architecture = BpfArchitecture.{{architecture}})]
            public static partial class P
            {
                static readonly BpfArray<ulong> Seen = new(3);

                [Uprobe("/bin/true", "main")]
                public static int Probe(PtRegs regs)
                {
                    ulong a = regs.Arg1, b = regs.Arg2, c = regs.Arg5, r = regs.ReturnValue;
                    ref ulong slot = ref Seen.GetValueRefOrNullRef(0);
                    if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot)) return 0;
                    slot = a + b + c + r;
                    return 0;
                }
            }
            """;
        var compilation = GeneratorHarness.Compile(source);
        var model = ObjectCompiler.Compile(compilation.GetTypeByMetadataName("P")!, compilation, CancellationToken.None);
        var function = BpfObjectFile.Open(model.ObjectBytes.ToArray(), "P").Spec.Functions.Single(f => f.Name == "Probe");
        // The context stays in the register r1 arrived in or a copy of it; 64-bit loads from it are the register reads.
        return function.Instructions.Where(i => i.Class == InstructionClass.Ldx && i.MemorySize == MemorySize.DoubleWord)
            .Select(i => i.Offset).Take(4).ToArray();
    }

    [Fact]
    public void X64_reads_rdi_rsi_r8_and_rax() => Assert.Equal(new short[] { 112, 104, 72, 80 }, ContextLoadOffsets("X64"));

    [Fact]
    public void Arm64_reads_x0_x1_x4_and_x0() => Assert.Equal(new short[] { 0, 8, 32, 0 }, ContextLoadOffsets("Arm64"));
}
