using System;
using System.Linq;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>`csbpf conformance-plugin` speaks the bpf_conformance runner's protocol: each file's
/// program goes in on stdin as base16 bytes, its memory as the argument, and r0 comes back in hex.</summary>
public class ConformancePluginTests
{
    [Theory]
    [MemberData(nameof(ConformanceCase.TestRows), MemberType = typeof(ConformanceCase))]
    public void Answers_the_runner_with_r0(string name)
    {
        var test = ConformanceCase.Test(name);
        if (name == "callx")
        {
            // No bytes exist to send: callx is refused at assembly (not in RFC 9669, refused by the kernel).
            Assert.Throws<AssemblyException>(() => Assembler.Assemble(test.Asm!));
            return;
        }
        var bytes = InstructionEncoding.Encode(Assembler.Assemble(test.Asm!));
        string program = string.Join(" ", bytes.Select(b => b.ToString("x2")));
        var args = test.Memory.Length == 0 ? new[] { "conformance-plugin" } : new[] { "conformance-plugin", Convert.ToHexString(test.Memory) };

        var (exit, stdout, stderr) = CsbpfProcess.Run(program, args);

        Assert.True(exit == 0, stderr);
        Assert.Equal(test.Result, Convert.ToUInt64(stdout.Trim(), 16));
    }

    [Fact]
    public void A_reserved_field_is_a_failure_with_a_message()
    {
        var test = ConformanceCase.Negative("unused-call-dst");
        var (exit, stdout, stderr) = CsbpfProcess.Run(string.Join(" ", test.Raw!.Select(b => b.ToString("x2"))), "conformance-plugin");
        Assert.NotEqual(0, exit);
        Assert.Equal("", stdout);
        Assert.Contains("field 'dst'", stderr);
    }

    [Fact]
    public void An_out_of_bounds_program_fails_instead_of_answering()
    {
        var bytes = InstructionEncoding.Encode(Assembler.Assemble("ldxdw %r0, [%r1+8]\nexit"));
        var (exit, _, stderr) = CsbpfProcess.Run(Convert.ToHexString(bytes), "conformance-plugin", "0102030405060708");
        Assert.NotEqual(0, exit);
        Assert.Contains("out-of-bounds load", stderr);
    }
}
