namespace CSharpBpf;

/// <summary>Link-layer protocol numbers, host order (compare with header properties, which are host order too).</summary>
public enum EtherType : ushort
{
    /// <summary>IPv4.</summary>
    IPv4 = 0x0800,
    /// <summary>ARP.</summary>
    Arp = 0x0806,
    /// <summary>802.1Q VLAN tag.</summary>
    Vlan = 0x8100,
    /// <summary>IPv6.</summary>
    IPv6 = 0x86DD,
    /// <summary>MPLS unicast.</summary>
    Mpls = 0x8847,
    /// <summary>802.1ad QinQ tag.</summary>
    QinQ = 0x88A8,
}
