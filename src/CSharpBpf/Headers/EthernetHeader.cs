using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>An Ethernet II header (14 bytes). Properties are host order; the fields hold the wire bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct EthernetHeader
{
    /// <summary>The header's size in bytes.</summary>
    public const int Size = 14;

    private MacAddress _destination;
    private MacAddress _source;
    private ushort _etherType;

    /// <summary>The destination address.</summary>
    [BpfField(0)]
    public MacAddress Destination { readonly get => _destination; set => _destination = value; }

    /// <summary>The source address.</summary>
    [BpfField(6)]
    public MacAddress Source { readonly get => _source; set => _source = value; }

    /// <summary>The payload's protocol.</summary>
    [BpfField(12, NetworkOrder = true)]
    public EtherType EtherType { readonly get => (EtherType)NetworkOrder.Swap(_etherType); set => _etherType = NetworkOrder.Swap((ushort)value); }
}
