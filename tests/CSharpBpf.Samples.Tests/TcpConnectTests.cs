using System;
using System.Net;
using System.Net.Sockets;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/tcpconnect, with a loopback connection made by this test.</summary>
public sealed class TcpConnectTests
{
    [KernelFact]
    public void It_shows_a_loopback_connection_with_its_addresses_ports_and_process()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var tool = SampleProcess.Start("tcpconnect", "--port", port.ToString());
        tool.WaitForLine(line => line.TrimStart().StartsWith("PID", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();

        using var client = new TcpClient(AddressFamily.InterNetwork); // .NET's default is a dual-mode IPv6 socket
        client.Connect(IPAddress.Loopback, port);
        int sourcePort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;

        var columns = tool.WaitForLine(l => l.Contains($" {port} ")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The command name may hold spaces (".NET TP Worker"): read the other columns from the ends.
        Assert.Equal(Environment.ProcessId, int.Parse(columns[0]));
        Assert.Equal(new[] { "4", "127.0.0.1", sourcePort.ToString(), "127.0.0.1", port.ToString(), "connected" }, columns[^6..]);

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
    }

    [KernelFact]
    public void A_refused_connection_is_shown_as_failed()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        using var tool = SampleProcess.Start("tcpconnect", "--port", port.ToString());
        tool.WaitForLine(line => line.TrimStart().StartsWith("PID", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();

        using var client = new TcpClient();
        Assert.Throws<SocketException>(() => client.Connect(IPAddress.Loopback, port));

        Assert.EndsWith("failed", tool.WaitForLine(l => l.Contains($" {port} ")));
        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
    }
}
