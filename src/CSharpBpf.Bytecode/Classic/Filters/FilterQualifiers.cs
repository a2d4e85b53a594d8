namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>The protocol a primitive is about (pcap-filter(7) "proto" qualifiers and protocol names).</summary>
    internal enum FilterProtocol
    {
        Default, Link, Ip, Ip6, Arp, Rarp, Atalk, Aarp, Decnet, Sca, Lat, Mopdl, Moprc,
        Tcp, Udp, Sctp, Icmp, Icmp6, Igmp, Igrp, Pim, Vrrp, Carp, Ah, Esp,
    }

    /// <summary>Which address or port of a packet a primitive tests.</summary>
    internal enum FilterDirection { Default, Source, Destination, SourceOrDestination, SourceAndDestination }

    /// <summary>What kind of thing a primitive's id is.</summary>
    internal enum FilterIdKind { Default, Host, Net, Port, PortRange, Proto }

    /// <summary>The qualifiers of a primitive; a bare id after <c>and</c>/<c>or</c>/<c>not</c> inherits the previous ones.</summary>
    internal sealed record FilterQualifiers(FilterProtocol Protocol, FilterDirection Direction, FilterIdKind Kind)
    {
        public static readonly FilterQualifiers None = new(FilterProtocol.Default, FilterDirection.Default, FilterIdKind.Default);
    }
}
