using System.Net;
using CSharpBpf;
using CSharpBpf.Samples;
using TcEgress;

const string Usage = """
    tc-egress — bytes and packets per IPv4 destination leaving an interface, counted by a tcx egress program
    (every packet passes).

    Usage: tc-egress --interface NAME [--interval SECONDS] [--top N] [-h|--help]
      --interface NAME    the interface to watch
      --interval SECONDS  print every SECONDS (default 1)
      --top N             rows per table (default 10)
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root and a kernel with tcx (6.6+) or clsact. Ctrl+C prints the totals, stops and detaches.
    """;

return SampleHost.Run("tc-egress", Usage, args, (args, stop) =>
{
    string? name = null;
    int interval = 1, top = 10;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--interface" && i + 1 < args.Length) name = args[++i];
        else if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[++i], out interval) && interval > 0) { }
        else if (args[i] == "--top" && i + 1 < args.Length && int.TryParse(args[++i], out top) && top > 0) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }
    if (name == null) throw new ArgumentException("--interface is required");
    if (!System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Any(n => n.Name == name))
        throw new ArgumentException($"no interface '{name}' (see `ip link`)");

    using var counter = EgressCounter.Load();
    using var link = counter.Count.AttachTcx(name, TcxDirection.Egress);
    SampleHost.Attached(counter.Count);
    Console.WriteLine($"Counting egress traffic on {name} by destination ({link.Description})... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval * 1000)) Print();
    Print();
    return 0;

    void Print()
    {
        Console.WriteLine($"{"DESTINATION",-15} {"PACKETS",10} {"BYTES",12}");
        foreach (var (destination, traffic) in counter.ByDestination.Entries().OrderByDescending(e => e.Value.Bytes).Take(top).Select(e => (e.Key, e.Value)))
            Console.WriteLine($"{new IPAddress(IPAddress.HostToNetworkOrder((int)destination) & 0xffffffffL),-15} {traffic.Packets,10} {traffic.Bytes,12}");
        Console.WriteLine();
    }
});
