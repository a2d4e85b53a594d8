using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>ctx.Matches("tcpdump expression") inside [Xdp] and [TrafficControl] programs: the generator compiles the
/// expression to classic BPF and translates it to an eBPF subprogram; in the kernel it decides every frame as the same C#
/// does as plain .NET (where PacketFilter runs the classic program), for every expression of the corpus.</summary>
public sealed class PacketFilterMatchTests
{
    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Programs(string attribute, string context, string pass, string drop, IReadOnlyList<string> expressions)
    {
        var s = new StringBuilder("[BpfObject]\npublic static partial class Filters\n{\n");
        for (int i = 0; i < expressions.Count; i++)
            s.AppendLine($"    [{attribute}] public static {pass.Split('.')[0]} F{i}({context} ctx) => ctx.Matches({Literal(expressions[i])}) ? {drop} : {pass};");
        return s.Append("}\n").ToString();
    }

    /// <summary>The three ways one program runs: the kernel, plain .NET and our VM.</summary>
    [KernelFact]
    public void Every_corpus_expression_decides_in_xdp_as_in_dotnet_and_the_vm()
    {
        var expressions = Tcpdump.Expressions;
        using var built = new BuiltAssembly(Programs("Xdp", "XdpContext", "XdpAction.Pass", "XdpAction.Drop", expressions));
        byte[] objectFile = built.ObjectFile("Filters");
        using var loaded = BpfObjectFile.Open(objectFile, "Filters").Load();
        var frames = FrameCorpus.Generate(150, seed: 21);
        int matched = 0;
        for (int i = 0; i < expressions.Count; i++)
        {
            var program = loaded.Programs[$"F{i}"];
            var method = built.Method<Func<XdpContext, XdpAction>>("Filters", $"F{i}");
            var corpus = new Behaviour.CorpusProgram("Filters", method.Method, objectFile);
            var memory = new CSharpBpf.Vm.VmMemory();
            var (code, whyNot) = Behaviour.VmRunner.TryLink(corpus, memory);
            Assert.True(code != null, whyNot);
            foreach (var frame in frames)
            {
                var kernel = (XdpAction)program.TestRun(frame).ReturnValue;
                var dotnet = method(new XdpContext(frame));
                var vm = (XdpAction)Behaviour.VmRunner.Run(corpus, code!, memory, frame).ReturnValue;
                if (kernel != dotnet || kernel != vm)
                    Assert.Fail($"'{expressions[i]}' on {Convert.ToHexString(frame.AsSpan(0, Math.Min(48, frame.Length)))} ({frame.Length} bytes): the kernel says {kernel}, .NET {dotnet}, the VM {vm}");
                if (kernel == XdpAction.Drop) matched++;
            }
        }
        Assert.InRange(matched, expressions.Count * frames.Count / 50, expressions.Count * frames.Count / 2);
    }

    [KernelFact]
    public void Every_corpus_expression_decides_in_tc_as_in_dotnet()
    {
        var expressions = Tcpdump.Expressions;
        using var built = new BuiltAssembly(Programs("TrafficControl", "SkBuff", "TcAction.Ok", "TcAction.Shot", expressions));
        using var loaded = BpfObjectFile.Open(built.ObjectFile("Filters"), "Filters").Load();
        // BPF_PROG_TEST_RUN refuses (EINVAL) some frames for any tc program before running it — shorter than an Ethernet
        // header, or with a network header it cannot set up; the XDP test above covers those frames.
        var all = FrameCorpus.Generate(80, seed: 22);
        var frames = all.Where(f => Testable(loaded.Programs["F0"], f)).ToList();
        Assert.True(frames.Count > all.Count * 3 / 4, $"only {frames.Count} of {all.Count} frames can be test-run");
        for (int i = 0; i < expressions.Count; i++)
        {
            var program = loaded.Programs[$"F{i}"];
            var method = built.Method<Func<SkBuff, TcAction>>("Filters", $"F{i}");
            foreach (var frame in frames)
            {
                var kernel = (TcAction)program.TestRun(frame).ReturnValue;
                var dotnet = method(SkBuff.ForTrafficControl(frame));
                if (kernel != dotnet)
                    Assert.Fail($"'{expressions[i]}' on {Convert.ToHexString(frame.AsSpan(0, Math.Min(48, frame.Length)))} ({frame.Length} bytes): the kernel says {kernel}, .NET {dotnet}");
            }
        }
    }

    private static bool Testable(BpfProgram program, byte[] frame)
    {
        try
        {
            program.TestRun(frame);
            return true;
        }
        catch (CSharpBpf.Syscalls.BpfException e) when (e.Errno == 22)
        {
            return false;
        }
    }

    [KernelFact]
    public void A_program_mixes_filters_with_its_own_logic_and_maps()
    {
        const string source = """
            [BpfObject]
            public static partial class Mixed
            {
                static readonly BpfArray<ulong> hits = new(maxEntries: 2);

                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    if (!ctx.Matches("ip and (tcp or udp)")) return XdpAction.Pass;
                    bool web = ctx.Matches("tcp dst port 80 or tcp dst port 443");
                    ref ulong count = ref hits.GetValueRefOrNullRef(web ? 1u : 0u);
                    if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
                    return web && ctx.Length > 100 ? XdpAction.Drop : XdpAction.Pass;
                }
            }
            """;
        using var built = new BuiltAssembly(source);
        using var loaded = BpfObjectFile.Open(built.ObjectFile("Mixed"), "Mixed").Load();
        var method = built.Method<Func<XdpContext, XdpAction>>("Mixed", "Run");
        foreach (var frame in FrameCorpus.Generate(400, seed: 5))
            Assert.Equal(method(new XdpContext(frame)), (XdpAction)loaded.Programs["Run"].TestRun(frame).ReturnValue);
        ulong Hits(uint slot)
        {
            var value = new byte[8];
            Assert.True(loaded.Maps["hits"].TryLookup(BitConverter.GetBytes(slot), value));
            return BitConverter.ToUInt64(value);
        }
        Assert.True(Hits(0) > 0 && Hits(1) > 0, $"ip/tcp-or-udp frames counted: other {Hits(0)}, web {Hits(1)}");
    }

    [Theory]
    [InlineData("return ctx.Matches(\"tcp port\") ? XdpAction.Drop : XdpAction.Pass;", "BPF0035", "\"tcp port\"", "column")]
    [InlineData("return ctx.Matches(\"ip proto \\\\udp or\") ? XdpAction.Drop : XdpAction.Pass;", "BPF0035", "\"ip proto", "column")]
    [InlineData("return ctx.Matches(ctx.Length > 60 ? \"tcp\" : \"udp\") ? XdpAction.Drop : XdpAction.Pass;", "BPF0021", "\"tcp\"", "constant expression of ctx.Matches")]
    public void A_bad_or_variable_expression_is_an_error_at_the_string(string body, string id, string at, string advice)
    {
        string source = $$"""
            [BpfObject]
            public static partial class P
            {
                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    {{body}}
                }
            }
            """;
        var diagnostic = GeneratorHarness.Diagnostics(source).FirstOrDefault(d => d.Id == id);
        Assert.True(diagnostic != null, string.Join("; ", GeneratorHarness.Diagnostics(source)));
        Assert.StartsWith(at, GeneratorHarness.TextAt(diagnostic!, source));
        Assert.Contains(advice, diagnostic.GetMessage());
    }

    [Fact]
    public void Socket_filters_are_told_to_attach_the_expression_instead()
    {
        string source = """
            [BpfObject]
            public static partial class P
            {
                [SocketFilter]
                public static uint Run(SkBuff skb) => skb.Matches("tcp") ? skb.Length : 0;
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0001", diagnostic.Id);
        Assert.Contains("socket.AttachFilter", diagnostic.GetMessage());
    }

    [Fact]
    public void The_filters_frame_counts_toward_the_512_byte_stack()
    {
        string source = """
            [BpfObject]
            public static partial class P
            {
                [InlineArray(440)] public struct Big { private byte _b; }

                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    Big big = default;
                    big[0] = (byte)ctx.Length;
                    if (ctx.Matches("icmp")) return (XdpAction)big[0];
                    return XdpAction.Pass;
                }
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("BPF0003", diagnostic.Id);
        Assert.Contains("needs 544 bytes", diagnostic.GetMessage()); // 448 for big, rounded to 32, and the filter's 96
    }
}
