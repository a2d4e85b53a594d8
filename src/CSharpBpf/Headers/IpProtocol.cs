namespace CSharpBpf;

/// <summary>IP protocol numbers.</summary>
public enum IpProtocol : byte
{
    /// <summary>IPv6 hop-by-hop options.</summary>
    HopByHop = 0,
    /// <summary>ICMP.</summary>
    Icmp = 1,
    /// <summary>IGMP.</summary>
    Igmp = 2,
    /// <summary>TCP.</summary>
    Tcp = 6,
    /// <summary>UDP.</summary>
    Udp = 17,
    /// <summary>GRE.</summary>
    Gre = 47,
    /// <summary>ICMPv6.</summary>
    IcmpV6 = 58,
    /// <summary>SCTP.</summary>
    Sctp = 132,
}
