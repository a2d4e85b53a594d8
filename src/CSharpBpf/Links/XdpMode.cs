namespace CSharpBpf.Links;

/// <summary>Where an XDP program runs (XDP_FLAGS_*_MODE).</summary>
public enum XdpMode
{
    /// <summary>In the network stack, after the driver (works on every interface).</summary>
    Generic = 2,
    /// <summary>In the driver, before any allocation (needs driver support; veth has it).</summary>
    Native = 4,
    /// <summary>On the NIC itself (needs offload-capable hardware).</summary>
    Offload = 8,
}
