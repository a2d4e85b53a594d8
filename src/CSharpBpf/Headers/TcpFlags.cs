using System;

namespace CSharpBpf;

/// <summary>TCP header flags.</summary>
[Flags]
public enum TcpFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>FIN.</summary>
    Fin = 1,
    /// <summary>SYN.</summary>
    Syn = 2,
    /// <summary>RST.</summary>
    Rst = 4,
    /// <summary>PSH.</summary>
    Psh = 8,
    /// <summary>ACK.</summary>
    Ack = 16,
    /// <summary>URG.</summary>
    Urg = 32,
    /// <summary>ECE.</summary>
    Ece = 64,
    /// <summary>CWR.</summary>
    Cwr = 128,
}
