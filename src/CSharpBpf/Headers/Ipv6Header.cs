using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>An IPv6 header (40 bytes). Properties are host order; addresses stay in network order.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Ipv6Header
{
    /// <summary>The header's size in bytes.</summary>
    public const int Size = 40;

    private uint _versionClassFlow;
    private ushort _payloadLength;
    private byte _nextHeader;
    private byte _hopLimit;
    private Ipv6Address _source;
    private Ipv6Address _destination;

    /// <summary>Version (top 4 bits), traffic class (next 8) and flow label (low 20).</summary>
    [BpfField(0, NetworkOrder = true)]
    public uint VersionClassFlow { readonly get => NetworkOrder.Swap(_versionClassFlow); set => _versionClassFlow = NetworkOrder.Swap(value); }

    /// <summary>The payload's length in bytes.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort PayloadLength { readonly get => NetworkOrder.Swap(_payloadLength); set => _payloadLength = NetworkOrder.Swap(value); }

    /// <summary>The next header's protocol.</summary>
    [BpfField(6)]
    public IpProtocol NextHeader { readonly get => (IpProtocol)_nextHeader; set => _nextHeader = (byte)value; }

    /// <summary>The hop limit.</summary>
    [BpfField(7)]
    public byte HopLimit { readonly get => _hopLimit; set => _hopLimit = value; }

    /// <summary>The source address.</summary>
    [BpfField(8)]
    public Ipv6Address SourceAddress { readonly get => _source; set => _source = value; }

    /// <summary>The destination address.</summary>
    [BpfField(24)]
    public Ipv6Address DestinationAddress { readonly get => _destination; set => _destination = value; }
}
