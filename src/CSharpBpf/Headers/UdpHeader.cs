using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>A UDP header (8 bytes). Properties are host order.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct UdpHeader
{
    /// <summary>The header's size in bytes.</summary>
    public const int Size = 8;

    private ushort _sourcePort;
    private ushort _destinationPort;
    private ushort _length;
    private ushort _checksum;

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

    /// <summary>The datagram's length, header included.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort Length
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_length) : _length);
        set => _length = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The checksum.</summary>
    [BpfField(6, NetworkOrder = true)]
    public ushort Checksum
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_checksum) : _checksum);
        set => _checksum = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    private static bool BitConverterIsLittle => System.BitConverter.IsLittleEndian;

}
