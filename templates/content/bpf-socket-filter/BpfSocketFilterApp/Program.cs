using BpfSocketFilterApp;
using CSharpBpf.Classic;

// Usage: BpfSocketFilterApp [INTERFACE] [SECONDS] — count bytes per IP protocol on INTERFACE (default lo) for SECONDS
// (default 5), as root.
string device = args.Length > 0 ? args[0] : "lo";
int seconds = args.Length > 1 ? int.Parse(args[1]) : 5;

using var counter = ByteCounter.Load();
using var socket = PacketSocket.Open(device);
using var link = counter.Count.AttachSocketFilter(socket.Socket);
Console.WriteLine($"counting bytes on {device} for {seconds} s…");
Thread.Sleep(TimeSpan.FromSeconds(seconds));
for (uint slot = 0; slot <= ByteCounter.NotIpv4; slot++)
    if (counter.Bytes[slot] is var n && n > 0)
        Console.WriteLine($"{(slot == ByteCounter.NotIpv4 ? "not IPv4" : $"protocol {slot}"),12}: {n} bytes");
Console.WriteLine("done");
