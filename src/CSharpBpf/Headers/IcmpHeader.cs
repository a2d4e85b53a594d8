using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>An ICMP header with the echo fields (8 bytes). Properties are host order.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct IcmpHeader
{
    /// <summary>The header's size in bytes.</summary>
    public const int Size = 8;
    /// <summary>Type of an echo reply.</summary>
    public const byte EchoReply = 0;
    /// <summary>Type of an echo request.</summary>
    public const byte EchoRequest = 8;

    private byte _type;
    private byte _code;
    private ushort _checksum;
    private ushort _identifier;
    private ushort _sequence;

    /// <summary>The message type.</summary>
    [BpfField(0)]
    public byte Type { readonly get => _type; set => _type = value; }

    /// <summary>The message code.</summary>
    [BpfField(1)]
    public byte Code { readonly get => _code; set => _code = value; }

    /// <summary>The checksum.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort Checksum
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_checksum) : _checksum);
        set => _checksum = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The echo identifier.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort Identifier
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_identifier) : _identifier);
        set => _identifier = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    /// <summary>The echo sequence number.</summary>
    [BpfField(6, NetworkOrder = true)]
    public ushort SequenceNumber
    {
        readonly get => (BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness(_sequence) : _sequence);
        set => _sequence = BitConverterIsLittle ? BinaryPrimitives.ReverseEndianness((ushort)value) : (ushort)value;
    }

    private static bool BitConverterIsLittle => System.BitConverter.IsLittleEndian;

}
