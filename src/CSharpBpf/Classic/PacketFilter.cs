using System;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Classic;

/// <summary>A tcpdump filter expression (pcap-filter(7)) compiled to classic BPF for Ethernet frames, as libpcap's
/// pcap_compile does: <c>PacketFilter.Compile("tcp port 80")</c>. Attach <see cref="Program"/> to a socket
/// (<see cref="ClassicSocketFilter.AttachFilter"/>) or test frames with <see cref="Matches"/>.</summary>
public sealed class PacketFilter
{
    private readonly ClassicInterpreter _interpreter;

    private PacketFilter(string expression, ClassicProgram program)
    {
        Expression = expression;
        Program = program;
        _interpreter = new ClassicInterpreter(program);
    }

    /// <summary>The expression compiled.</summary>
    public string Expression { get; }

    /// <summary>The classic program: it returns the accept length for a matching frame, 0 for any other.</summary>
    public ClassicProgram Program { get; }

    /// <summary>Compiles <paramref name="expression"/>; a matching frame makes the program return
    /// <paramref name="acceptLength"/> (bytes a socket keeps; tcpdump's 262,144 by default).</summary>
    /// <exception cref="PacketFilterException">The expression is malformed or unsupported: the message gives the
    /// column and what was expected there.</exception>
    public static PacketFilter Compile(string expression, uint acceptLength = PacketFilterCompiler.DefaultAcceptLength) =>
        new(expression, PacketFilterCompiler.Compile(expression, acceptLength));

    /// <summary>Compiles <paramref name="expression"/> as <see cref="Compile"/> does, or says why not in
    /// <paramref name="error"/> ("column 5: …").</summary>
    public static bool TryCompile(string expression, out PacketFilter? filter, out string? error, uint acceptLength = PacketFilterCompiler.DefaultAcceptLength)
    {
        try
        {
            filter = Compile(expression, acceptLength);
            error = null;
            return true;
        }
        catch (PacketFilterException e)
        {
            filter = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether the filter takes <paramref name="frame"/>: an Ethernet frame from its destination address on,
    /// as a capture file holds it (VLAN tags in place). A frame too short for a field the filter reads is not taken.</summary>
    public bool Matches(ReadOnlySpan<byte> frame) =>
        _interpreter.Run(new ClassicPacket(frame.ToArray()) { NetworkHeaderOffset = 14 }) != 0;

    /// <summary>Loads the filter as an XDP program that returns <paramref name="onMatch"/> for a frame it takes and
    /// <paramref name="otherwise"/> for any other (a frame too short for a field it reads is not taken), so a tcpdump
    /// expression can drop, pass or bounce traffic at the driver: attach it with <see cref="BpfProgram.AttachXdp"/>.
    /// The classic program is translated to eBPF (<see cref="ClassicTranslator"/>) and checked by the verifier.
    /// Needs Linux 5.18+ (bpf_xdp_get_buff_len) and CAP_BPF + CAP_NET_ADMIN.</summary>
    /// <exception cref="BpfException">The kernel refused the program (the verifier's log is in the message).</exception>
    public BpfProgram LoadXdp(XdpAction onMatch = XdpAction.Drop, XdpAction otherwise = XdpAction.Pass)
    {
        var instructions = ClassicTranslator.ToXdp(Program, (int)onMatch, (int)otherwise);
        var descriptor = BpfSyscall.ProgLoad(BpfProgramType.Xdp, InstructionEncoding.Encode(instructions), "Dual MIT/GPL", "packet_filter");
        return new BpfProgram("packet_filter", "xdp", BpfProgramType.Xdp, descriptor, instructions.Count, null);
    }

    /// <summary>Compiles <paramref name="expression"/> and loads it as an XDP program returning
    /// <paramref name="onMatch"/> for the frames it matches and XDP_PASS for the rest (<see cref="LoadXdp"/>).</summary>
    /// <exception cref="PacketFilterException">The expression is malformed or unsupported.</exception>
    /// <exception cref="BpfException">The kernel refused the program.</exception>
    public static BpfProgram CompileXdp(string expression, XdpAction onMatch) => Compile(expression).LoadXdp(onMatch);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PacketFilter> compiled = new();

    /// <summary>The filter of <paramref name="expression"/>, compiled once per process: what ctx.Matches runs as plain .NET.</summary>
    internal static PacketFilter Cached(string expression) => compiled.GetOrAdd(expression, e => Compile(e));

    /// <summary>The listing, as <c>tcpdump -d</c> prints it.</summary>
    public override string ToString() => Program.ToListing();
}
