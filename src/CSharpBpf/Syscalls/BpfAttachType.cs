namespace CSharpBpf.Syscalls;

/// <summary>Attach types (enum bpf_attach_type) the loader uses.</summary>
public enum BpfAttachType : uint
{
    /// <summary>BPF_TRACE_RAW_TP: a BTF-typed tracepoint (tp_btf).</summary>
    TraceRawTracepoint = 23,
    /// <summary>BPF_TRACE_FENTRY</summary>
    TraceFentry = 24,
    /// <summary>BPF_TRACE_FEXIT</summary>
    TraceFexit = 25,
    /// <summary>BPF_LSM_MAC</summary>
    LsmMac = 27,
    /// <summary>BPF_TRACE_ITER</summary>
    TraceIterator = 28,
    /// <summary>BPF_PERF_EVENT: a tracepoint, kprobe or uprobe through its perf event.</summary>
    PerfEvent = 41,
    /// <summary>BPF_XDP</summary>
    Xdp = 37,
    /// <summary>BPF_TCX_INGRESS</summary>
    TcxIngress = 46,
    /// <summary>BPF_TCX_EGRESS</summary>
    TcxEgress = 47,
}
