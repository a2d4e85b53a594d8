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
    public ushort SourcePort { readonly get => NetworkOrder.Swap(_sourcePort); set => _sourcePort = NetworkOrder.Swap(value); }

    /// <summary>The destination port.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort DestinationPort { readonly get => NetworkOrder.Swap(_destinationPort); set => _destinationPort = NetworkOrder.Swap(value); }

    /// <summary>The datagram's length, header included.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort Length { readonly get => NetworkOrder.Swap(_length); set => _length = NetworkOrder.Swap(value); }

    /// <summary>The checksum (0: none was computed).</summary>
    [BpfField(6, NetworkOrder = true)]
    public ushort Checksum { readonly get => NetworkOrder.Swap(_checksum); set => _checksum = NetworkOrder.Swap(value); }
}
