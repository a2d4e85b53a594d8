using System.Net;
using CSharpBpf.Samples;
using TcpConnect;

const string Usage = """
    tcpconnect — active TCP connections (connect()): who, from and to which address and port, and whether the
    handshake completed.

    Usage: tcpconnect [--port PORT] [-h|--help]
      --port PORT   only connections to this destination port
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C stops and detaches.
    """;

return SampleHost.Run("tcpconnect", Usage, args, (args, stop) =>
{
    int port = 0;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[++i], out port) && port is > 0 and < 65536) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }

    using var tracer = TcpConnectTracer.Load();
    using var link = tracer.OnStateChange.Attach();
    SampleHost.Attached(tracer.OnStateChange);
    Console.WriteLine($"{"PID",7} {"UID",5} {"COMM",-16} {"IP",2} {"SADDR",-39} {"SPORT",5} {"DADDR",-39} {"DPORT",5} RESULT");

    SampleHost.PollUntil(stop, () => tracer.Events.Poll(record =>
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.Read<ConnectEvent>(record);
        if (port != 0 && e.DestinationPort != port) return;
        bool v4 = e.Family == 2;
        string source = Address(e.Source, v4), destination = Address(e.Destination, v4);
        Console.WriteLine($"{e.Pid,7} {e.Uid,5} {e.Comm,-16} {(v4 ? 4 : 6),2} {source,-39} {e.SourcePort,5} {destination,-39} {e.DestinationPort,5} {(e.Established == 1 ? "connected" : "failed")}");
    }), tracer.Events.Wait);
    return 0;
});

static string Address(Ipv6Bytes bytes, bool v4)
{
    ReadOnlySpan<byte> raw = bytes;
    return new IPAddress(v4 ? raw[..4] : raw).ToString();
}
