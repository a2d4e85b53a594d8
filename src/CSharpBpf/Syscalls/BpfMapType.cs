namespace CSharpBpf.Syscalls;

/// <summary>Map types (enum bpf_map_type).</summary>
public enum BpfMapType : uint
{
    /// <summary>BPF_MAP_TYPE_HASH</summary>
    Hash = 1,
    /// <summary>BPF_MAP_TYPE_ARRAY</summary>
    Array = 2,
    /// <summary>BPF_MAP_TYPE_PROG_ARRAY</summary>
    ProgramArray = 3,
    /// <summary>BPF_MAP_TYPE_PERF_EVENT_ARRAY</summary>
    PerfEventArray = 4,
    /// <summary>BPF_MAP_TYPE_PERCPU_HASH</summary>
    PerCpuHash = 5,
    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY</summary>
    PerCpuArray = 6,
    /// <summary>BPF_MAP_TYPE_STACK_TRACE</summary>
    StackTrace = 7,
    /// <summary>BPF_MAP_TYPE_LRU_HASH</summary>
    LruHash = 9,
    /// <summary>BPF_MAP_TYPE_LPM_TRIE</summary>
    LpmTrie = 11,
    /// <summary>BPF_MAP_TYPE_RINGBUF</summary>
    RingBuffer = 27,
}
