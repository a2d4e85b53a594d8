using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary><c>csbpf capture</c> on the receiving end of a veth pair, frames sent into the other end.</summary>
public sealed class CaptureCommandTests
{
    private static byte[] Udp(ushort sourcePort, ushort destinationPort)
    {
        var frame = new byte[60];
        Convert.FromHexString("02000000000202000000000108004500002400010000401100000a0000010a000002").CopyTo(frame, 0);
        frame[34] = (byte)(sourcePort >> 8); frame[35] = (byte)sourcePort;
        frame[36] = (byte)(destinationPort >> 8); frame[37] = (byte)destinationPort;
        frame[39] = 16;
        return frame;
    }

    private static (int Exit, string Stdout, string Stderr) Capture(PacketTap tap, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "csbpf.dll"));
        foreach (var a in new[] { "capture", "-i", tap.Receiver }.Concat(args)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string listening = process.StandardError.ReadLine() ?? "";
        Assert.Contains("listening on", listening);
        foreach (var frame in new[] { Udp(1234, 80), Udp(1234, 53), Udp(53, 999), Udp(5, 6) }) tap.Send(frame);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "csbpf capture did not stop after its count");
        return (process.ExitCode, stdout.Result, listening + "\n" + stderr);
    }

    [KernelFact]
    public void Prints_one_line_per_matching_packet()
    {
        using var tap = new PacketTap();
        var (exit, stdout, stderr) = Capture(tap, "-c", "2", "udp", "port", "53");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("IP 10.0.0.1.1234 > 10.0.0.2.53: UDP, length 60", lines[0]);
        Assert.Contains("IP 10.0.0.1.53 > 10.0.0.2.999: UDP, length 60", lines[1]);
        Assert.Contains("2 packets captured", stderr);
    }

    [KernelFact]
    public void Writes_a_pcap_file_tcpdump_reads()
    {
        using var tap = new PacketTap();
        string file = Path.Combine(Path.GetTempPath(), $"csbpf-capture-{Environment.ProcessId}.pcap");
        try
        {
            var (exit, _, stderr) = Capture(tap, "-c", "2", "-w", file, "-s", "40", "port 53");
            Assert.True(exit == 0, stderr);
            var read = ExternalTool.Run("tcpdump", "-r", file, "-n", "-e").EnsureSuccess().Stdout;
            var lines = read.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.Contains("10.0.0.1", l));
            Assert.Contains(".53", lines[0]);
            Assert.Equal(24 + 2 * (16 + 40), new FileInfo(file).Length); // each record kept 40 of its 60 bytes
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_malformed_expression_is_reported_with_its_column()
    {
        var (exit, _, stderr) = CsbpfProcess.Run(null, "capture", "-i", "lo", "tcp", "port");
        Assert.Equal(2, exit);
        Assert.Contains("column 9: expected an address or number", stderr);
    }

    [Fact]
    public void Prints_the_compiled_filter_as_tcpdump_d_does()
    {
        var (exit, stdout, _) = CsbpfProcess.Run(null, "capture", "-i", "lo", "-d", "ip and udp");
        Assert.Equal(0, exit);
        Assert.Equal(Tcpdump.Compile("ip and udp").Listing, stdout);
    }
}
