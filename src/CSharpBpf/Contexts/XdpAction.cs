namespace CSharpBpf;

/// <summary>What an XDP program decides for a packet (enum xdp_action).</summary>
public enum XdpAction : int
{
    /// <summary>Drop and raise the xdp_exception tracepoint (a program error).</summary>
    Aborted = 0,
    /// <summary>Drop.</summary>
    Drop = 1,
    /// <summary>Hand to the network stack.</summary>
    Pass = 2,
    /// <summary>Send back out of the interface it arrived on.</summary>
    Tx = 3,
    /// <summary>Send as bpf_redirect decided.</summary>
    Redirect = 4,
}
