using BpfXdpApp;
using CSharpBpf;
using CSharpBpf.Links;
using CSharpBpf.Syscalls;

// Usage: BpfXdpApp [INTERFACE] [SECONDS] — attach the counter to INTERFACE (default lo) for SECONDS (default 5), as root.
string device = args.Length > 0 ? args[0] : "lo";
int seconds = args.Length > 1 ? int.Parse(args[1]) : 5;

try
{
    using var counter = PacketCounter.Load();
    using var link = counter.Count.AttachXdp(device, XdpMode.Generic);
    Console.WriteLine($"counting packets on {device} for {seconds} s…");
    Thread.Sleep(TimeSpan.FromSeconds(seconds));
    for (uint protocol = 0; protocol < 256; protocol++)
        if (counter.Protocols[protocol] is var n && n > 0)
            Console.WriteLine($"protocol {protocol,3}: {n} packets");
    Console.WriteLine("done");
}
catch (BpfException e) // not root, or the kernel lacks what the program needs: say why, without a stack trace
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
return 0;
