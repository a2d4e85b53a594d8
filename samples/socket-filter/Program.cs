using CSharpBpf.Classic;
using CSharpBpf.Samples;
using SocketFilterSample;

const string Usage = """
    socket-filter — packets and bytes by IP protocol on an interface, counted by a socket filter on a raw packet
    socket (the filter keeps nothing for the socket: the counting happens in the kernel).

    Usage: socket-filter [--interface NAME] [--interval SECONDS] [-h|--help]
      --interface NAME    the interface to watch (default lo)
      --interval SECONDS  print every SECONDS (default 1)
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the totals, stops and detaches.
    """;

return SampleHost.Run("socket-filter", Usage, args, (args, stop) =>
{
    string name = "lo";
    int interval = 1;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--interface" && i + 1 < args.Length) name = args[++i];
        else if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[++i], out interval) && interval > 0) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }
    using var counter = ProtocolCounter.Load();
    using var socket = PacketSocket.Open(name); // AF_PACKET, every protocol, bound to the interface
    using var filter = counter.Count.AttachSocketFilter(socket.Socket);
    SampleHost.Attached(counter.Count);
    Console.WriteLine($"Counting packets on {name} by protocol... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval * 1000)) Print();
    Print();
    return 0;

    void Print()
    {
        Console.WriteLine($"{"PROTOCOL",-10} {"PACKETS",10} {"BYTES",12}");
        for (uint slot = 0; slot <= ProtocolCounter.NotIp; slot++)
        {
            var count = counter.Counts[slot];
            if (count.Packets == 0) continue;
            string protocol = slot == ProtocolCounter.NotIp ? "non-IP" : Enum.IsDefined((CSharpBpf.IpProtocol)slot) ? ((CSharpBpf.IpProtocol)slot).ToString().ToLowerInvariant() : $"ip-{slot}";
            Console.WriteLine($"{protocol,-10} {count.Packets,10} {count.Bytes,12}");
        }
        Console.WriteLine();
    }
});
