using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Seccomp;

/// <summary>What classic BPF cannot express in a [SeccompFilter] method is an error at the line that asks for it
/// (BPF0034), saying what to write; Syscall values cannot be used in ways that would mean one thing in .NET and another in
/// the filter.</summary>
public sealed class SeccompDiagnosticTests
{
    private static string Policy(string body, string members = "") => $$"""
        [BpfObject]
        public static partial class S
        {
            {{members}}
            [SeccompFilter]
            public static SeccompAction Run(SeccompData data)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("BPF0034", "for (int i = 0; i < 3; i++) { if (data.Nr == i) return SeccompAction.Allow; } return SeccompAction.KillProcess;", "for (int i", "forward")]
    [InlineData("BPF0034", "if (Bpf.GetCurrentPidTgid() == 1) return SeccompAction.Allow; return SeccompAction.KillProcess;", "if (Bpf.GetCurrentPidTgid()", "calls nothing")]
    [InlineData("BPF0034", "if (Twice(data.Nr) == 4) return SeccompAction.Allow; return SeccompAction.KillProcess;", "if (Twice(", "inline")]
    [InlineData("BPF0034", "if (data.Arg0 + 1 > 5) return SeccompAction.Allow; return SeccompAction.KillProcess;", "if (data.Arg0 + 1", "int or uint")]
    [InlineData("BPF0034", "ulong x = data.Arg0 * data.Arg1; return x == 6 ? SeccompAction.Allow : SeccompAction.KillProcess;", "ulong x", "int or uint")]
    [InlineData("BPF0034", "if (Counts.TryGetValue(data.Nr, out long c) && c > 3) return SeccompAction.Allow; return SeccompAction.KillProcess;", "if (Counts", "no maps")]
    [InlineData("BPF0034", "int sh = data.Nr >> (int)data.Arg0; return sh == 1 ? SeccompAction.Allow : SeccompAction.KillProcess;", "int sh", "uint")]
    [InlineData("BPF0001", "return (long)data.Syscall == 5 ? SeccompAction.Allow : SeccompAction.KillProcess;", "(long)data.Syscall", "data.Nr")]
    [InlineData("BPF0001", "return data.Syscall < Syscall.Openat ? SeccompAction.Allow : SeccompAction.KillProcess;", "data.Syscall < Syscall.Openat", "data.Nr")]
    [InlineData("BPF0001", "return data.Syscall == (Syscall)9999 ? SeccompAction.Allow : SeccompAction.KillProcess;", "(Syscall)9999", "Syscall.Openat")]
    public void Reports_what_classic_BPF_cannot_express_at_its_line(string id, string body, string at, string advice)
    {
        string source = Policy(body, """
            static readonly BpfHashMap<int, long> Counts = new(maxEntries: 16);
            static int Twice(int x) => x * 2;
            """);
        var diagnostics = GeneratorHarness.Diagnostics(source);
        var diagnostic = diagnostics.FirstOrDefault(d => d.Id == id);
        Assert.True(diagnostic != null, $"expected {id}, got: {string.Join("; ", diagnostics.Select(d => d.ToString()))}");
        Assert.StartsWith(at, GeneratorHarness.TextAt(diagnostic!, source));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(advice, diagnostic.GetMessage());
        Assert.Contains("docs/diagnostics/" + id, diagnostic.Descriptor.HelpLinkUri);
    }

    [Theory]
    [InlineData("public static SeccompAction Run(SkBuff data)")]
    [InlineData("public static int Run(SeccompData data)")]
    [InlineData("static SeccompAction Run(SeccompData data)")]
    public void A_filter_with_the_wrong_signature_says_which_it_needs(string signature)
    {
        string source = $$"""
            [BpfObject]
            public static partial class S
            {
                [SeccompFilter]
                {{signature}} => default;
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0008", diagnostic.Id);
        Assert.Contains("SeccompData", diagnostic.GetMessage());
        Assert.Contains("SeccompAction", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("new SeccompArchitecture[0]", "no architecture")]
    [InlineData("new[] { SeccompArchitecture.X86_64, (SeccompArchitecture)0x40000003 }", "0x40000003")]
    public void A_filter_for_no_or_an_unknown_architecture_says_which_it_can_serve(string architectures, string construct)
    {
        string source = $$"""
            [BpfObject]
            public static partial class S
            {
                [SeccompFilter(Architectures = {{architectures}})]
                public static SeccompAction Run(SeccompData data) => SeccompAction.Allow;
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0001", diagnostic.Id);
        Assert.Contains(construct, diagnostic.GetMessage());
        Assert.Contains("SeccompArchitecture.X86_64, SeccompArchitecture.Arm64 or both", diagnostic.GetMessage());
    }

    [Fact]
    public void An_object_may_hold_eBPF_programs_and_seccomp_filters_together()
    {
        string source = """
            [BpfObject]
            public static partial class Mixed
            {
                [Xdp]
                public static XdpAction Pass(XdpContext ctx) => XdpAction.Pass;

                [SeccompFilter(Architectures = new[] { SeccompArchitecture.X86_64 })]
                public static SeccompAction Policy(SeccompData data) => data.Syscall == Syscall.Ptrace ? SeccompAction.Errno(1) : SeccompAction.Allow;
            }
            """;
        Assert.Empty(GeneratorHarness.Diagnostics(source));
        using var harness = new BuiltAssembly(source);
        var policy = harness.Policy("Mixed", "Policy");
        Assert.Equal(SeccompAction.Errno(1), policy.Evaluate(new SeccompData(SeccompArchitecture.X86_64, Syscall.Ptrace)));
        Assert.Equal(SeccompAction.Allow, policy.Evaluate(new SeccompData(SeccompArchitecture.X86_64, Syscall.Read)));
        // Only x86-64 was asked for: an arm64 call is refused by the architecture check.
        Assert.Equal(SeccompAction.KillProcess, policy.Evaluate(new SeccompData(SeccompArchitecture.Arm64, Syscall.Read)));
        Assert.NotEmpty(GeneratorHarness.ObjectFile(GeneratorHarness.Usings + source));
    }

    [Theory]
    [InlineData(SeccompArchitecture.X86_64, 0x40000000 + 1)] // x32 write
    [InlineData(SeccompArchitecture.X86_64, 0x4000_0000 + 59)]
    [InlineData((SeccompArchitecture)0x40000003, 0)] // i386
    [InlineData((SeccompArchitecture)0xC00000F3, 0)] // riscv64
    public void Calls_of_another_architecture_or_the_x32_table_are_killed(SeccompArchitecture architecture, int nr)
    {
        using var harness = new BuiltAssembly(Policy("return SeccompAction.Allow;"));
        Assert.Equal(SeccompAction.KillProcess, harness.Policy("S", "Run").Evaluate(new SeccompData(architecture, nr)));
        Assert.Equal(SeccompAction.Allow, harness.Policy("S", "Run").Evaluate(new SeccompData(SeccompArchitecture.X86_64, -1))); // -1 is ptrace's skip, not x32
    }
}
