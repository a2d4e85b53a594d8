namespace CSharpBpf.Syscalls;

/// <summary>Attach types (enum bpf_attach_type) the loader uses.</summary>
public enum BpfAttachType : uint
{
    /// <summary>BPF_PERF_EVENT: a tracepoint, kprobe or uprobe through its perf event.</summary>
    PerfEvent = 41,
    /// <summary>BPF_XDP</summary>
    Xdp = 37,
    /// <summary>BPF_TCX_INGRESS</summary>
    TcxIngress = 46,
    /// <summary>BPF_TCX_EGRESS</summary>
    TcxEgress = 47,
}
