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
    private uint _sequenceNumber;
    private uint _acknowledgmentNumber;
    private byte _dataOffset;
    private byte _flags;
    private ushort _window;
    private ushort _checksum;
    private ushort _urgentPointer;

    /// <summary>The source port.</summary>
    [BpfField(0, NetworkOrder = true)]
    public ushort SourcePort { readonly get => NetworkOrder.Swap(_sourcePort); set => _sourcePort = NetworkOrder.Swap(value); }

    /// <summary>The destination port.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort DestinationPort { readonly get => NetworkOrder.Swap(_destinationPort); set => _destinationPort = NetworkOrder.Swap(value); }

    /// <summary>The sequence number.</summary>
    [BpfField(4, NetworkOrder = true)]
    public uint SequenceNumber { readonly get => NetworkOrder.Swap(_sequenceNumber); set => _sequenceNumber = NetworkOrder.Swap(value); }

    /// <summary>The acknowledgment number.</summary>
    [BpfField(8, NetworkOrder = true)]
    public uint AcknowledgmentNumber { readonly get => NetworkOrder.Swap(_acknowledgmentNumber); set => _acknowledgmentNumber = NetworkOrder.Swap(value); }

    /// <summary>The header's length in bytes, options included.</summary>
    [BpfField(12, RawSize = 1, Shift = 4, Mask = 0xF, Scale = 4)]
    public readonly int DataOffset => (_dataOffset >> 4) * 4;

    /// <summary>The flags.</summary>
    [BpfField(13)]
    public TcpFlags Flags { readonly get => (TcpFlags)_flags; set => _flags = (byte)value; }

    /// <summary>The receive window.</summary>
    [BpfField(14, NetworkOrder = true)]
    public ushort Window { readonly get => NetworkOrder.Swap(_window); set => _window = NetworkOrder.Swap(value); }

    /// <summary>The checksum.</summary>
    [BpfField(16, NetworkOrder = true)]
    public ushort Checksum { readonly get => NetworkOrder.Swap(_checksum); set => _checksum = NetworkOrder.Swap(value); }

    /// <summary>The urgent pointer.</summary>
    [BpfField(18, NetworkOrder = true)]
    public ushort UrgentPointer { readonly get => NetworkOrder.Swap(_urgentPointer); set => _urgentPointer = NetworkOrder.Swap(value); }
}
