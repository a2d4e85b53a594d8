using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Testing;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Bytecode.Tests.Classic;

/// <summary>Our pcap-filter compiler against libpcap's (tcpdump -ddd): every expression of the corpus, both programs
/// run on every frame of the seeded corpus, must decide alike.</summary>
public sealed class PacketFilterCompilerTests(ITestOutputHelper output)
{
    private static readonly List<byte[]> Frames = FrameCorpus.Generate(2000, seed: 20261201);

    [Fact]
    public void Decides_every_frame_as_libpcap_does()
    {
        var failures = new List<string>();
        int ours = 0, theirs = 0, matched = 0;
        foreach (var expression in Tcpdump.Expressions)
        {
            var libpcap = ClassicProgram.Parse(Tcpdump.Compile(expression).Decimal);
            var reference = new ClassicInterpreter(libpcap);
            ClassicProgram compiled;
            try
            {
                compiled = PacketFilterCompiler.Compile(expression);
            }
            catch (PacketFilterException e)
            {
                failures.Add($"{expression}: {e.Message}");
                continue;
            }
            var interpreter = new ClassicInterpreter(compiled);
            ours += compiled.Count;
            theirs += libpcap.Count;
            for (int i = 0; i < Frames.Count; i++)
            {
                var packet = new ClassicPacket(Frames[i]) { NetworkHeaderOffset = 14 };
                uint want = reference.Run(packet), got = interpreter.Run(packet);
                if (want != 0) matched++;
                if (want == got) continue;
                failures.Add($"{expression}: frame {i} ({Frames[i].Length} bytes {Convert.ToHexString(Frames[i].AsSpan(0, Math.Min(48, Frames[i].Length)))}): libpcap {want}, ours {got}\n{compiled.ToListing()}");
                break;
            }
        }
        output.WriteLine($"{Tcpdump.Expressions.Count} expressions × {Frames.Count} frames; {matched} matches; instructions: ours {ours}, libpcap {theirs}");
        Assert.True(failures.Count == 0, $"{failures.Count} expressions differ; the first ones:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(Tcpdump.Expressions.Count >= 150 && Frames.Count >= 2000);
        Assert.InRange(matched, Tcpdump.Expressions.Count * Frames.Count / 50, Tcpdump.Expressions.Count * Frames.Count / 2);
    }

    /// <summary>Issue #22: an expression libpcap refuses is refused here too, saying what is wrong with it (not a stray '.'
    /// after a shorter address, nor "'and' is not an address"); protochain, which libpcap compiles with a loop of its own,
    /// is refused as not supported rather than as a syntax error.</summary>
    [Theory]
    [InlineData("host 10.0.0.300", 6, "'10.0.0.300' is not an IPv4 address: 300 is over 255")]
    [InlineData("net 10.0.0.256/24", 5, "256 is over 255")]
    [InlineData("host 1.2.3.4.5", 6, "it has 5 parts, not 4")]
    [InlineData("ether host 01:02:03:04:05", 12, "'01:02:03:04:05' is not an Ethernet address: it has 5 octets, not 6")]
    [InlineData("ether host 01:02:03:04:05:06:07", 12, "it has 7 octets, not 6")]
    [InlineData("host 1::2::3", 6, "'1::2::3' is not an IPv6 address")]
    [InlineData("vlan and and tcp", 10, "expected a filter primitive (host, net, port, a protocol, vlan, len…) before 'and'")]
    [InlineData("tcp and or udp", 9, "expected a filter primitive")]
    [InlineData("ip proto 6 and not and udp", 20, "expected a filter primitive")]
    [InlineData("ip6 protochain 6", 5, "'ip6 protochain' is not supported")]
    [InlineData("protochain 6", 1, "'protochain' is not supported")]
    public void Refusals_say_what_is_wrong(string expression, int column, string message)
    {
        var error = Assert.Throws<PacketFilterException>(() => PacketFilterCompiler.Compile(expression));
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"column {column}:", error.Message);
        if (!expression.Contains("protochain"))
            Assert.NotEqual(0, ExternalTool.Run("tcpdump", "-d", expression).ExitCode); // libpcap refuses it too
    }

    /// <summary>Programs longer than a conditional jump reaches (255 instructions): jumps go through ja where they must
    /// and stay valid after identical blocks merge.</summary>
    [Fact]
    public void Long_programs_jump_far_and_still_decide_as_libpcap()
    {
        string expression = string.Join(" or ", Enumerable.Range(0, 40).Select(i => $"(tcp port {1000 + i} and host 10.0.{i}.1)")) + " or udp port 53";
        var ours = PacketFilterCompiler.Compile(expression);
        var libpcap = ClassicProgram.Parse(Tcpdump.Compile(expression).Decimal);
        Assert.True(ours.Count > 256, $"the program has {ours.Count} instructions");
        Assert.Empty(ours.Validate());
        Assert.Contains(ours, i => i.Code == ClassicOpcode.Ja);
        var (reference, interpreter) = (new ClassicInterpreter(libpcap), new ClassicInterpreter(ours));
        foreach (var frame in Frames)
        {
            var packet = new ClassicPacket(frame) { NetworkHeaderOffset = 14 };
            Assert.Equal(reference.Run(packet), interpreter.Run(packet));
        }
    }
}
