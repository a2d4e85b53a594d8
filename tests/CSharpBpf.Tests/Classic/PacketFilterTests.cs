using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Classic;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Tests.Classic;

public sealed class PacketFilterTests
{
    [Fact]
    public void Matches_the_frames_tcpdump_prints_from_a_capture_file()
    {
        var frames = FrameCorpus.Generate(2000, seed: 20261202);
        string pcap = Path.Combine(Path.GetTempPath(), $"csbpf-corpus-{System.Environment.ProcessId}.pcap");
        PcapFile.Write(pcap, frames);
        try
        {
            foreach (var expression in Tcpdump.Expressions)
            {
                var filter = PacketFilter.Compile(expression);
                var ours = Enumerable.Range(0, frames.Count).Where(i => filter.Matches(frames[i])).ToHashSet();
                var tcpdump = PcapFile.TcpdumpMatches(pcap, expression);
                Assert.True(tcpdump.SetEquals(ours), $"'{expression}': tcpdump prints {tcpdump.Count} frames, we match {ours.Count}; "
                    + $"only tcpdump: {string.Join(",", tcpdump.Except(ours).Take(5))}; only us: {string.Join(",", ours.Except(tcpdump).Take(5))}");
            }
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Theory]
    [InlineData("tcp port", 9, "expected an address or number after the qualifiers, found the end of the expression")]
    [InlineData("host 10.0.0.1 and", 18, "expected a filter primitive")]
    [InlineData("ip[8 < 64", 6, "expected ']' to close the byte expression, found '<'")]
    [InlineData("port 70000", 6, "a port is 0 to 65535, not 70000")]
    [InlineData("net 10.0.0.1/8", 5, "has bits set outside its mask")]
    [InlineData("hots 10.0.0.1", 1, "'hots' is not an address, a number or a filter keyword")]
    [InlineData("ip proto 300", 10, "an IP protocol number is 0 to 255, not 300")]
    [InlineData("ether host 10.0.0.1", 12, "an IPv4 address goes with 'ip', 'arp', 'rarp' or no protocol")]
    [InlineData("(tcp or udp", 12, "expected ')' to close the '(' at column 1")]
    [InlineData("ip[0] / 0 = 1", 7, "division by zero")]
    [InlineData("tcp and $", 9, "'$' cannot appear in a filter expression")]
    [InlineData("ip[0:3] = 1", 6, "a byte expression reads 1, 2 or 4 bytes, not 3")]
    [InlineData("host 10.1", 6, "'10.1' is a network: write 'net 10.1' or a full address")]
    public void Errors_name_the_column_and_what_was_expected(string expression, int column, string reason)
    {
        var error = Assert.Throws<PacketFilterException>(() => PacketFilter.Compile(expression));
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Reason);
        Assert.False(PacketFilter.TryCompile(expression, out var filter, out var message));
        Assert.Null(filter);
        Assert.StartsWith($"column {column}: ", message);
    }

    [Fact]
    public void Qualifiers_carry_over_to_a_bare_address_or_port()
    {
        Assert.Equal(PacketFilter.Compile("host 10.0.0.1 or host 10.0.0.2").Program, PacketFilter.Compile("host 10.0.0.1 or 10.0.0.2").Program);
        Assert.Equal(PacketFilter.Compile("tcp port 80 or tcp port 443").Program, PacketFilter.Compile("tcp port 80 or 443").Program);
        Assert.Equal(PacketFilter.Compile("host 10.0.0.1 and not host 10.0.0.2").Program, PacketFilter.Compile("host 10.0.0.1 and not 10.0.0.2").Program);
    }

    [Fact]
    public void An_empty_expression_takes_every_frame_and_the_accept_length_is_what_it_returns()
    {
        var all = PacketFilter.Compile("", acceptLength: 96);
        Assert.True(all.Matches(new byte[1]));
        Assert.Equal("(000) ret      #96\n", all.ToString());
    }
}
