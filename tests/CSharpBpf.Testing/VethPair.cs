using System;
using System.Threading;

namespace CSharpBpf.Testing;

/// <summary>
/// A veth pair for a test: <see cref="HostSide"/> stays in the root namespace with
/// <see cref="HostAddress"/>, the peer lives in a network namespace of its own with
/// <see cref="PeerAddress"/>. Traffic stays between the two. Dispose deletes both.
/// </summary>
public sealed class VethPair : IDisposable
{
    private static int counter;

    /// <summary>Creates the namespace and the pair, and brings both ends up.</summary>
    public VethPair()
    {
        int n = Interlocked.Increment(ref counter);
        string id = $"{Environment.ProcessId % 10000}{n}";
        Namespace = $"csbpf-{id}";
        HostSide = $"cbh{id}";
        string peer = $"cbp{id}";
        int subnet = (Environment.ProcessId * 7 + n) % 250;
        HostAddress = $"10.213.{subnet}.1";
        PeerAddress = $"10.213.{subnet}.2";
        try
        {
            Ip("netns", "add", Namespace);
            Ip("link", "add", HostSide, "type", "veth", "peer", "name", peer);
            Ip("link", "set", peer, "netns", Namespace);
            Ip("addr", "add", HostAddress + "/30", "dev", HostSide);
            Ip("link", "set", HostSide, "up");
            Ip("-n", Namespace, "addr", "add", PeerAddress + "/30", "dev", peer);
            Ip("-n", Namespace, "link", "set", peer, "up");
            Ip("-n", Namespace, "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The namespace holding the peer.</summary>
    public string Namespace { get; }
    /// <summary>The interface in the root namespace.</summary>
    public string HostSide { get; }
    /// <summary>The host side's address.</summary>
    public string HostAddress { get; }
    /// <summary>The peer's address.</summary>
    public string PeerAddress { get; }

    /// <summary>Pings the host side from the namespace once; true when the reply came back.</summary>
    public bool PingHostFromPeer() =>
        ExternalTool.Run("ip", "netns", "exec", Namespace, "ping", "-c", "1", "-W", "1", HostAddress).ExitCode == 0;

    /// <summary>Deletes the pair (deleting one end deletes both) and the namespace.</summary>
    public void Dispose()
    {
        ExternalTool.Run("ip", "link", "del", HostSide);
        ExternalTool.Run("ip", "netns", "del", Namespace);
    }

    private static void Ip(params string[] args) => ExternalTool.Run("ip", args).EnsureSuccess();
}
