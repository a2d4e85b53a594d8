namespace CSharpBpf.Syscalls;

/// <summary>Program types (enum bpf_prog_type).</summary>
public enum BpfProgramType : uint
{
    /// <summary>BPF_PROG_TYPE_SOCKET_FILTER</summary>
    SocketFilter = 1,
    /// <summary>BPF_PROG_TYPE_KPROBE</summary>
    Kprobe = 2,
    /// <summary>BPF_PROG_TYPE_SCHED_CLS (tc classifier)</summary>
    SchedCls = 3,
    /// <summary>BPF_PROG_TYPE_SCHED_ACT</summary>
    SchedAct = 4,
    /// <summary>BPF_PROG_TYPE_TRACEPOINT</summary>
    Tracepoint = 5,
    /// <summary>BPF_PROG_TYPE_XDP</summary>
    Xdp = 6,
    /// <summary>BPF_PROG_TYPE_RAW_TRACEPOINT</summary>
    RawTracepoint = 17,
    /// <summary>BPF_PROG_TYPE_TRACING: tp_btf, fentry, fexit and iterator programs, typed by the kernel's BTF.</summary>
    Tracing = 26,
    /// <summary>BPF_PROG_TYPE_LSM: BPF programs on LSM hooks.</summary>
    Lsm = 29,
}
