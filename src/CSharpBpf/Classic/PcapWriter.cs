using System;
using System.IO;

namespace CSharpBpf.Classic;

/// <summary>Writes frames as a pcap capture file (the classic libpcap format: microsecond timestamps, Ethernet link
/// type), readable by tcpdump -r and Wireshark. Records are written as they come.</summary>
public sealed class PcapWriter : IDisposable
{
    private readonly BinaryWriter _writer;

    /// <summary>Creates the file and writes its header; frames are kept up to <paramref name="snapLength"/> bytes.</summary>
    public PcapWriter(Stream stream, uint snapLength = 262144)
    {
        _writer = new BinaryWriter(stream);
        _writer.Write(0xa1b2c3d4u); // magic: microseconds, in the writer's byte order
        _writer.Write((ushort)2);   // version 2.4
        _writer.Write((ushort)4);
        _writer.Write(0);           // thiszone: UTC
        _writer.Write(0u);          // sigfigs
        _writer.Write(snapLength);
        _writer.Write(1u);          // LINKTYPE_ETHERNET
        _writer.Flush();
    }

    /// <summary>Appends one frame captured at <paramref name="time"/>: <paramref name="captured"/> holds the bytes kept,
    /// <paramref name="length"/> its length on the wire (bytes).</summary>
    public void Write(DateTimeOffset time, ReadOnlySpan<byte> captured, int length)
    {
        long micros = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        _writer.Write((uint)(micros / 1_000_000));
        _writer.Write((uint)(micros % 1_000_000));
        _writer.Write((uint)captured.Length);
        _writer.Write((uint)length);
        _writer.Write(captured);
        _writer.Flush();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
