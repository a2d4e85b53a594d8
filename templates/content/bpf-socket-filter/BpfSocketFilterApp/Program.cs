using BpfSocketFilterApp;
using CSharpBpf.Classic;
using CSharpBpf.Syscalls;

// Usage: BpfSocketFilterApp [INTERFACE] [SECONDS] — count bytes per IP protocol on INTERFACE (default lo) for SECONDS
// (default 5), as root.
string device = args.Length > 0 ? args[0] : "lo";
int seconds = args.Length > 1 ? int.Parse(args[1]) : 5;

try
{
    using var counter = ByteCounter.Load();
    using var socket = PacketSocket.Open(device);
    using var link = counter.Count.AttachSocketFilter(socket.Socket);
    Console.WriteLine($"counting bytes on {device} for {seconds} s…");
    Thread.Sleep(TimeSpan.FromSeconds(seconds));
    for (uint slot = 0; slot <= ByteCounter.NotIpv4; slot++)
        if (counter.Bytes[slot] is var n && n > 0)
            Console.WriteLine($"{(slot == ByteCounter.NotIpv4 ? "not IPv4" : $"protocol {slot}"),12}: {n} bytes");
    Console.WriteLine("done");
}
catch (Exception e) when (e is BpfException or System.Net.Sockets.SocketException) // not root (CAP_BPF, CAP_NET_RAW), or the kernel lacks what the program needs: say why, without a stack trace
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
return 0;
