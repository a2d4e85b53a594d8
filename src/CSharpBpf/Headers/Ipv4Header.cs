using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>An IPv4 header without options (20 bytes). Properties are host order; the fields hold the wire bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Ipv4Header
{
    /// <summary>The size of a header without options.</summary>
    public const int MinSize = 20;

    private byte _versionIhl;
    private byte _typeOfService;
    private ushort _totalLength;
    private ushort _identification;
    private ushort _fragment;
    private byte _ttl;
    private byte _protocol;
    private ushort _checksum;
    private uint _source;
    private uint _destination;

    /// <summary>The IP version (4).</summary>
    [BpfField(0, RawSize = 1, Shift = 4, Mask = 0xF)]
    public readonly int Version => _versionIhl >> 4;

    /// <summary>The header's length in bytes, options included.</summary>
    [BpfField(0, RawSize = 1, Mask = 0xF, Scale = 4)]
    public readonly int HeaderLength => (_versionIhl & 0xF) * 4;

    /// <summary>DSCP and ECN.</summary>
    [BpfField(1)]
    public byte TypeOfService { readonly get => _typeOfService; set => _typeOfService = value; }

    /// <summary>The packet's length in bytes, header included.</summary>
    [BpfField(2, NetworkOrder = true)]
    public ushort TotalLength { readonly get => NetworkOrder.Swap(_totalLength); set => _totalLength = NetworkOrder.Swap(value); }

    /// <summary>The fragment identification.</summary>
    [BpfField(4, NetworkOrder = true)]
    public ushort Identification { readonly get => NetworkOrder.Swap(_identification); set => _identification = NetworkOrder.Swap(value); }

    /// <summary>Flags and fragment offset as on the wire (flags in the top 3 bits, offset in 8-byte units below).</summary>
    [BpfField(6, NetworkOrder = true)]
    public ushort FragmentOffset { readonly get => NetworkOrder.Swap(_fragment); set => _fragment = NetworkOrder.Swap(value); }

    /// <summary>Time to live.</summary>
    [BpfField(8)]
    public byte Ttl { readonly get => _ttl; set => _ttl = value; }

    /// <summary>The payload's protocol.</summary>
    [BpfField(9)]
    public IpProtocol Protocol { readonly get => (IpProtocol)_protocol; set => _protocol = (byte)value; }

    /// <summary>The header checksum.</summary>
    [BpfField(10, NetworkOrder = true)]
    public ushort Checksum { readonly get => NetworkOrder.Swap(_checksum); set => _checksum = NetworkOrder.Swap(value); }

    /// <summary>The source address (10.0.0.1 is 0x0A000001).</summary>
    [BpfField(12, NetworkOrder = true)]
    public uint SourceAddress { readonly get => NetworkOrder.Swap(_source); set => _source = NetworkOrder.Swap(value); }

    /// <summary>The destination address.</summary>
    [BpfField(16, NetworkOrder = true)]
    public uint DestinationAddress { readonly get => NetworkOrder.Swap(_destination); set => _destination = NetworkOrder.Swap(value); }
}
