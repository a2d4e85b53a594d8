using System;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Classic;
using CSharpBpf.Links;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Classic;

/// <summary>tcpdump expressions as XDP programs: the verifier accepts every translation, and the kernel drops exactly
/// the frames the classic program takes.</summary>
public sealed class PacketFilterXdpTests
{
    [KernelFact]
    public void Every_corpus_expression_drops_in_xdp_what_it_matches()
    {
        var frames = FrameCorpus.Generate(200, seed: 4);
        int dropped = 0, runs = 0;
        foreach (var expression in Tcpdump.Expressions)
        {
            var filter = PacketFilter.Compile(expression);
            using var program = filter.LoadXdp(XdpAction.Drop, XdpAction.Pass);
            foreach (var frame in frames)
            {
                var action = (XdpAction)program.TestRun(frame).ReturnValue;
                var expected = filter.Matches(frame) ? XdpAction.Drop : XdpAction.Pass;
                Assert.True(expected == action, $"'{expression}' on {Convert.ToHexString(frame.AsSpan(0, Math.Min(40, frame.Length)))} ({frame.Length} bytes): XDP says {action}, the filter {expected}");
                if (action == XdpAction.Drop) dropped++;
                runs++;
            }
        }
        Assert.InRange(dropped, runs / 50, runs / 2);
    }

    [KernelFact]
    public void Attached_to_an_interface_it_drops_matching_frames_before_the_stack_sees_them()
    {
        using var tap = new PacketTap();
        using var program = PacketFilter.CompileXdp("udp port 53", XdpAction.Drop);
        using var link = program.AttachXdp(tap.Receiver, XdpMode.Generic);
        using var receiver = tap.OpenReceiver();
        byte[] Udp(byte port) => Convert.FromHexString("02000000000202000000000108004500002400010000401100000a0000010a00000204d2" + "00" + port.ToString("x2") + "0010000000000000000000000000000000000000000000");
        tap.Send(Udp(53));
        tap.Send(Udp(80));
        var buffer = new byte[2048];
        var seen = new System.Collections.Generic.List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (seen.Count < 1 && DateTime.UtcNow < deadline)
        {
            if (!receiver.Poll(100_000, System.Net.Sockets.SelectMode.SelectRead)) continue;
            int length = receiver.Receive(buffer);
            if (length >= 38) seen.Add(buffer[37]);
        }
        Assert.Equal(new[] { 80 }, seen);
    }

    [Fact]
    public void Programs_reading_socket_buffer_state_are_refused_with_the_instruction()
    {
        var program = ClassicAssembler.Assemble("ld [proto]\nret a");
        var error = Assert.Throws<NotSupportedException>(() => ClassicTranslator.ToXdp(program, 1, 2));
        Assert.Contains("'ld [proto]' reads socket-buffer state", error.Message);
    }
}
