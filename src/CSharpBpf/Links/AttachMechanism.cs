namespace CSharpBpf.Links;

/// <summary>How XDP and tc programs are attached.</summary>
public enum AttachMechanism
{
    /// <summary>A BPF link where the kernel has one, rtnetlink otherwise.</summary>
    Auto,
    /// <summary>A BPF link (BPF_LINK_CREATE): closed with the process unless pinned.</summary>
    Link,
    /// <summary>rtnetlink (IFLA_XDP; clsact + cls_bpf), as ip and tc do: stays until detached.</summary>
    Netlink,
}
