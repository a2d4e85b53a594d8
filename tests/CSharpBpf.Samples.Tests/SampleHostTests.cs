using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>What every sample does the same way, through samples/Common/SampleHost.cs.</summary>
public sealed class SampleHostTests
{
    [Theory]
    [InlineData("execsnoop")]
    [InlineData("opensnoop")]
    [InlineData("syscount")]
    [InlineData("tcpconnect")]
    [InlineData("socket-filter")]
    [InlineData("tc-egress")]
    [InlineData("xdp-firewall")]
    [InlineData("pcap-rules")]
    [InlineData("pystat")]
    [InlineData("runqlat")]
    public void Without_root_it_says_what_it_needs_and_exits_1(string sample)
    {
        var (exitCode, _, stderr) = SampleProcess.RunAsNobody(sample, "--duration", "1");
        Assert.Equal(1, exitCode);
        Assert.Contains($"{sample}: needs root (loading BPF programs takes CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN): run it with sudo", stderr);
    }

    [Theory]
    [InlineData("execsnoop")]
    [InlineData("opensnoop")]
    [InlineData("syscount")]
    [InlineData("tcpconnect")]
    [InlineData("socket-filter")]
    [InlineData("tc-egress")]
    [InlineData("xdp-firewall")]
    [InlineData("pcap-rules")]
    [InlineData("pystat")]
    [InlineData("runqlat")]
    public void Help_says_what_it_does_how_to_stop_it_and_exits_0(string sample)
    {
        var (exitCode, stdout, _) = SampleProcess.RunToEnd(sample, "--help");
        Assert.Equal(0, exitCode);
        Assert.StartsWith(sample + " — ", stdout);
        Assert.Contains("Usage: " + sample, stdout);
        Assert.Contains("--duration SECONDS", stdout);
        Assert.Contains("Ctrl+C", stdout);
    }
}
