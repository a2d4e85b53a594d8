using CSharpBpf.Links;
using CSharpBpf.Samples;
using PcapRulesSample;

const string Usage = """
    pcap-rules — an XDP program whose rules are tcpdump filter expressions (PcapRules.cs: ctx.Matches("…"), compiled
    to BPF when the sample builds): drops pings, SYNs to ports 6000–6063 and non-first IPv4 fragments on an
    interface, counting each rule.

    Usage: pcap-rules --interface NAME [--mode native|generic] [--interval SECONDS] [-h|--help]
      --interface NAME    the interface to filter
      --mode MODE         native (driver) or generic (any interface; the default)
      --interval SECONDS  print the counts every SECONDS (default 1)
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the totals, detaches and exits.
    """;

return SampleHost.Run("pcap-rules", Usage, args, (args, stop) =>
{
    string? name = null;
    var mode = XdpMode.Generic;
    int interval = 1;
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--interface": name = Next(); break;
            case "--mode":
                mode = Next() switch { "native" => XdpMode.Native, "generic" => XdpMode.Generic, var m => throw new ArgumentException($"unknown mode '{m}': use native or generic") };
                break;
            case "--interval":
                if (!int.TryParse(Next(), out interval) || interval <= 0) throw new ArgumentException("--interval needs a positive number of seconds");
                break;
            default:
                throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    if (name == null) throw new ArgumentException("--interface is required");
    if (!System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Any(n => n.Name == name))
        throw new ArgumentException($"no interface '{name}' (see `ip link`)");

    using var rules = PcapRules.Load();
    using var link = rules.Filter.AttachXdp(name, mode);
    SampleHost.Attached(rules.Filter);
    Console.WriteLine($"Dropping on {name} what {PcapRules.Rules.Length} tcpdump expressions match... Ctrl+C to stop.");
    while (!stop.WaitHandle.WaitOne(interval * 1000)) Print();
    Print();
    return 0;

    void Print()
    {
        Console.WriteLine($"{"RULE",-80} {"PACKETS",8}");
        for (uint rule = 0; rule < PcapRules.Rules.Length; rule++)
            Console.WriteLine($"{PcapRules.Rules[rule],-80} {rules.Counts[rule],8}");
        Console.WriteLine($"{"(passed)",-80} {rules.Counts[PcapRules.Passed],8}");
        Console.WriteLine();
    }
});
