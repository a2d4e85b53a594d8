using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Threading;
using CSharpBpf.Classic;
using PacketDotNet;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf capture -i IF [-c N] [-w FILE] EXPRESSION</c>: a small tcpdump. The expression is compiled to
/// classic BPF by our compiler and attached to a packet socket, so the kernel drops what does not match; each packet
/// prints one line (time, protocol, addresses and ports, length), decoded by PacketDotNet, or goes to a pcap file.</summary>
public static class CaptureCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var device = new Option<string>("--interface", "-i") { Description = "Interface to capture on", Required = true };
        var count = new Option<int?>("--count", "-c") { Description = "Stop after this many packets" };
        var write = new Option<FileInfo?>("--write", "-w") { Description = "Write the packets to this pcap file instead of printing them" };
        var snapLength = new Option<int>("--snaplen", "-s") { Description = "Bytes of each packet to keep", DefaultValueFactory = _ => 262144 };
        var printFilter = new Option<bool>("--print-filter", "-d") { Description = "Print the compiled classic BPF (as tcpdump -d) and exit" };
        var expression = new Argument<string[]>("expression") { Description = "pcap-filter(7) expression, e.g. 'tcp port 80'", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("capture", "Capture packets matching a tcpdump filter expression (compiled to classic BPF and attached to a packet socket)")
        {
            device, count, write, snapLength, printFilter, expression,
        };
        command.SetAction((parse, cancellation) =>
        {
            string text = string.Join(' ', parse.GetValue(expression) ?? Array.Empty<string>());
            int snap = parse.GetValue(snapLength);
            if (snap <= 0)
            {
                Console.Error.WriteLine("error: --snaplen must be positive");
                return System.Threading.Tasks.Task.FromResult(2);
            }
            if (!PacketFilter.TryCompile(text, out var filter, out var error, (uint)snap))
            {
                Console.Error.WriteLine($"error: in '{text}': {error}");
                return System.Threading.Tasks.Task.FromResult(2);
            }
            if (parse.GetValue(printFilter))
            {
                Console.Out.Write(filter!.Program.ToListing());
                return System.Threading.Tasks.Task.FromResult(0);
            }
            return System.Threading.Tasks.Task.FromResult(KernelCommandAction.Run(() =>
                Capture(parse.GetValue(device)!, filter!, parse.GetValue(count), parse.GetValue(write), snap, cancellation)));
        });
        return command;
    }

    private static void Capture(string device, PacketFilter filter, int? count, FileInfo? file, int snapLength, CancellationToken cancellation)
    {
        string text = filter.Expression;
        using var socket = PacketSocket.Open(device);
        socket.SetFilter(filter.Program);
        using var pcap = file != null ? new PcapWriter(File.Create(file.FullName), (uint)snapLength) : null;
        if (text.Contains("vlan", StringComparison.Ordinal))
            Console.Error.WriteLine("csbpf: note: the kernel moves a received frame's VLAN tag out of the data before filters run; 'vlan' matches only tags left in the frame");
        Console.Error.WriteLine($"csbpf: listening on {device}, filter '{text}' ({filter.Program.Count} classic BPF instructions)");
        var buffer = new byte[Math.Min(snapLength, 262144)];
        int seen = 0;
        while (!cancellation.IsCancellationRequested && (count is null || seen < count))
        {
            var (captured, length) = socket.Receive(buffer, TimeSpan.FromMilliseconds(200));
            if (captured == 0) continue;
            var time = DateTimeOffset.UtcNow;
            seen++;
            if (pcap != null) pcap.Write(time, buffer.AsSpan(0, captured), length);
            else Console.Out.WriteLine(Describe(time, buffer.AsSpan(0, captured).ToArray(), length));
        }
        Console.Error.WriteLine($"csbpf: {seen} packets captured");
    }

    /// <summary>One line per packet, as tcpdump -n prints it in spirit: time, protocol, source > destination, length.</summary>
    internal static string Describe(DateTimeOffset time, byte[] frame, int length)
    {
        string when = time.ToLocalTime().ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        Packet packet;
        try
        {
            packet = Packet.ParsePacket(LinkLayers.Ethernet, frame);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return $"{when} [undecodable frame], length {length}";
        }
        string summary = packet.Extract<TcpPacket>() is { } tcp && tcp.ParentPacket is IPPacket tcpIp
            ? $"{Ip(tcpIp)} {tcpIp.SourceAddress}.{tcp.SourcePort} > {tcpIp.DestinationAddress}.{tcp.DestinationPort}: TCP [{Flags(tcp)}]"
            : packet.Extract<UdpPacket>() is { } udp && udp.ParentPacket is IPPacket udpIp
                ? $"{Ip(udpIp)} {udpIp.SourceAddress}.{udp.SourcePort} > {udpIp.DestinationAddress}.{udp.DestinationPort}: UDP"
                : packet.Extract<IcmpV4Packet>() is { } icmp && icmp.ParentPacket is IPPacket icmpIp
                    ? $"IP {icmpIp.SourceAddress} > {icmpIp.DestinationAddress}: ICMP {icmp.TypeCode}"
                    : packet.Extract<IcmpV6Packet>() is { } icmp6 && icmp6.ParentPacket is IPPacket icmp6Ip
                        ? $"IP6 {icmp6Ip.SourceAddress} > {icmp6Ip.DestinationAddress}: ICMP6 {icmp6.Type}"
                        : packet.Extract<IPPacket>() is { } ip
                            ? $"{Ip(ip)} {ip.SourceAddress} > {ip.DestinationAddress}: {ip.Protocol}"
                            : packet.Extract<ArpPacket>() is { } arp
                                ? $"ARP {arp.Operation} {arp.SenderProtocolAddress} > {arp.TargetProtocolAddress}"
                                : packet is EthernetPacket ethernet
                                    ? $"{ethernet.SourceHardwareAddress} > {ethernet.DestinationHardwareAddress}: ethertype {ethernet.Type}"
                                    : "frame";
        return $"{when} {summary}, length {length}";
    }

    private static string Ip(IPPacket ip) => ip.Version == IPVersion.IPv6 ? "IP6" : "IP";

    private static string Flags(TcpPacket tcp) =>
        (tcp.Synchronize ? "S" : "") + (tcp.Finished ? "F" : "") + (tcp.Reset ? "R" : "") + (tcp.Push ? "P" : "") + (tcp.Acknowledgment ? "." : "");
}
