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
    private ushort _sequenceNumber;

    /// <summary>The message type.</summary>
    [BpfField(0)]
    public byte Type { readonly get => _type; set => _type = value; }

    /// <summary>The message code.</summary>
    [BpfField(1)]
    public byte Code { readonly get => _code; set => _code = value; }

    /// <summary>The checksum.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort Checksum { readonly get => NetworkOrder.Swap(_checksum); set => _checksum = NetworkOrder.Swap(value); }

    /// <summary>The echo identifier.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort Identifier { readonly get => NetworkOrder.Swap(_identifier); set => _identifier = NetworkOrder.Swap(value); }

    /// <summary>The echo sequence number.</summary>
    [BpfField(6, NetworkOrder = true)]
    public ushort SequenceNumber { readonly get => NetworkOrder.Swap(_sequenceNumber); set => _sequenceNumber = NetworkOrder.Swap(value); }
}
