using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CSharpBpf;
using CSharpBpf.Links;
using CSharpBpf.Samples;
using XdpFirewall;

const string Usage = """
    xdp-firewall — an XDP firewall on one interface: block or allow by source prefix (the longest match wins), count
    per rule, answer ICMP echo for an address from XDP itself, and print live statistics.

    Usage: xdp-firewall --interface NAME [--block CIDR]... [--allow CIDR]... [--answer-icmp ADDRESS]
                        [--mode native|generic] [--interval SECONDS] [-h|--help]
      --block CIDR          drop packets from this IPv4 prefix (e.g. 10.0.0.0/8)
      --allow CIDR          let this prefix through, even inside a blocked one
      --answer-icmp ADDRESS reply to pings for ADDRESS from XDP (XDP_TX), before the kernel's stack
      --mode MODE           native (driver, the default) or generic (any interface; on a veth, XDP_TX
                            replies reach the peer only in generic mode unless the peer runs XDP too)
      --interval SECONDS    print statistics every SECONDS (default 1)
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the totals, detaches and exits.
    """;

return SampleHost.Run("xdp-firewall", Usage, args, (args, stop) =>
{
    string? name = null;
    var rules = new List<(IPAddress Network, int Length, bool Block, string Text)>();
    uint responder = 0;
    var mode = XdpMode.Native;
    int interval = 1;
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--interface": name = Next(); break;
            case "--block": case "--allow":
            {
                bool block = args[i] == "--block";
                string text = Next();
                if (!IPNetwork.TryParse(text, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
                    throw new ArgumentException($"'{text}' is not an IPv4 prefix like 10.0.0.0/8");
                rules.Add((network.BaseAddress, network.PrefixLength, block, text));
                break;
            }
            case "--answer-icmp":
            {
                string text = Next();
                if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
                    throw new ArgumentException($"'{text}' is not an IPv4 address");
                responder = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
                break;
            }
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
    if (rules.Count > PrefixFirewall.MaxRules) throw new ArgumentException($"at most {PrefixFirewall.MaxRules} rules");
    if (!System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Any(n => n.Name == name))
        throw new ArgumentException($"no interface '{name}' (see `ip link`)");

    var spec = PrefixFirewall.Open();
    spec.ResponderAddress = responder;
    using var firewall = spec.Load();
    for (int index = 0; index < rules.Count; index++)
    {
        var (network, length, block, _) = rules[index];
        var key = new LpmKey<uint>((uint)length, BitConverter.ToUInt32(network.GetAddressBytes())); // network-order bytes
        firewall.Rules.Update(key, new Rule { Index = (uint)index, Block = block ? 1u : 0u });
    }
    using var link = Attach();
    SampleHost.Attached(firewall.Filter);
    Console.WriteLine($"Filtering {name} ({link.Description}) with {rules.Count} rule(s){(responder != 0 ? ", answering ICMP echo" : "")}... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval * 1000)) Print();
    Print();
    return 0;

    CSharpBpf.Links.BpfLink Attach()
    {
        try
        {
            return firewall.Filter.AttachXdp(name, mode);
        }
        catch (CSharpBpf.Syscalls.BpfException e) when (e.Errno == 95 && mode == XdpMode.Native)
        {
            throw new NotSupportedException($"{name}'s driver has no native XDP ({e.Message}): use --mode generic");
        }
    }

    void Print()
    {
        Console.WriteLine($"{"RULE",-22} {"PACKETS",10} {"BYTES",12}");
        for (int index = 0; index < rules.Count; index++)
        {
            var counter = firewall.RuleCounters[(uint)index];
            Console.WriteLine($"{(rules[index].Block ? "block " : "allow ") + rules[index].Text,-22} {counter.Packets,10} {counter.Bytes,12}");
        }
        Console.WriteLine($"passed {firewall.Totals[PrefixFirewall.Passed]}, dropped {firewall.Totals[PrefixFirewall.Dropped]}, " +
            $"answered {firewall.Totals[PrefixFirewall.Answered]}, not IPv4 {firewall.Totals[PrefixFirewall.NotIpv4]}");
        Console.WriteLine();
    }
});
