using System;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;

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

    /// <summary>The listing, as <c>tcpdump -d</c> prints it.</summary>
    public override string ToString() => Program.ToListing();
}
