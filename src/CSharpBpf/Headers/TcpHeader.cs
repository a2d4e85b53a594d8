using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>A TCP header without options (20 bytes). Properties are host order.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct TcpHeader
{
    /// <summary>The size of a header without options.</summary>
    public const int MinSize = 20;

    private ushort _sourcePort;
    private ushort _destinationPort;
    private uint _sequence;
    private uint _acknowledgment;
    private byte _dataOffset;
    private byte _flags;
    private ushort _window;
    private ushort _checksum;
    private ushort _urgent;

    /// <summary>The source port.</summary>
    [BpfField(0, NetworkOrder = true)]
    public ushort SourcePort
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_sourcePort) : _sourcePort);
        set => _sourcePort = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The destination port.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort DestinationPort
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_destinationPort) : _destinationPort);
        set => _destinationPort = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The sequence number.</summary>
    [BpfField(4, NetworkOrder = true)]
    public uint SequenceNumber
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_sequence) : _sequence);
        set => _sequence = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((uint)value) : (uint)value;
    }

    /// <summary>The acknowledgment number.</summary>
    [BpfField(8, NetworkOrder = true)]
    public uint AcknowledgmentNumber
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_acknowledgment) : _acknowledgment);
        set => _acknowledgment = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((uint)value) : (uint)value;
    }

    /// <summary>The header's length in bytes, options included.</summary>
    [BpfField(12, RawSize = 1, Shift = 4, Mask = 0xF, Scale = 4)]
    public readonly int DataOffset => (_dataOffset >> 4) * 4;

    /// <summary>The flags.</summary>
    [BpfField(13)]
    public readonly TcpFlags Flags => (TcpFlags)_flags;

    /// <summary>The receive window.</summary>
    [BpfField(14, NetworkOrder = true)]
    public ushort Window
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_window) : _window);
        set => _window = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The checksum.</summary>
    [BpfField(16, NetworkOrder = true)]
    public ushort Checksum
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_checksum) : _checksum);
        set => _checksum = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The urgent pointer.</summary>
    [BpfField(18, NetworkOrder = true)]
    public ushort UrgentPointer
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_urgent) : _urgent);
        set => _urgent = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    private static bool BitConverterIsLittle => System.BitConverter.IsLittleEndian;

}
