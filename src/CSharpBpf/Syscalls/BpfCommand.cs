namespace CSharpBpf.Syscalls;

/// <summary>The bpf(2) commands we issue (enum bpf_cmd in include/uapi/linux/bpf.h).</summary>
public enum BpfCommand
{
    /// <summary>BPF_MAP_CREATE</summary>
    MapCreate = 0,
    /// <summary>BPF_MAP_LOOKUP_ELEM</summary>
    MapLookupElem = 1,
    /// <summary>BPF_MAP_UPDATE_ELEM</summary>
    MapUpdateElem = 2,
    /// <summary>BPF_MAP_DELETE_ELEM</summary>
    MapDeleteElem = 3,
    /// <summary>BPF_MAP_GET_NEXT_KEY</summary>
    MapGetNextKey = 4,
    /// <summary>BPF_PROG_LOAD</summary>
    ProgLoad = 5,
    /// <summary>BPF_PROG_TEST_RUN</summary>
    ProgTestRun = 10,
    /// <summary>BPF_OBJ_PIN</summary>
    ObjPin = 6,
    /// <summary>BPF_OBJ_GET</summary>
    ObjGet = 7,
    /// <summary>BPF_PROG_GET_NEXT_ID</summary>
    ProgGetNextId = 11,
    /// <summary>BPF_MAP_GET_NEXT_ID</summary>
    MapGetNextId = 12,
    /// <summary>BPF_PROG_GET_FD_BY_ID</summary>
    ProgGetFdById = 13,
    /// <summary>BPF_MAP_GET_FD_BY_ID</summary>
    MapGetFdById = 14,
    /// <summary>BPF_OBJ_GET_INFO_BY_FD</summary>
    ObjGetInfoByFd = 15,
    /// <summary>BPF_RAW_TRACEPOINT_OPEN</summary>
    RawTracepointOpen = 17,
    /// <summary>BPF_BTF_LOAD</summary>
    BtfLoad = 18,
    /// <summary>BPF_MAP_FREEZE</summary>
    MapFreeze = 22,
    /// <summary>BPF_MAP_LOOKUP_BATCH</summary>
    MapLookupBatch = 24,
    /// <summary>BPF_LINK_CREATE</summary>
    LinkCreate = 28,
    /// <summary>BPF_ENABLE_STATS: run-time statistics for every program while the returned descriptor is open.</summary>
    EnableStats = 32,
    /// <summary>BPF_ITER_CREATE: a readable descriptor that runs an iterator link's program as it is read.</summary>
    IterCreate = 33,
    /// <summary>BPF_LINK_DETACH: detach a link now, whoever else holds its descriptor.</summary>
    LinkDetach = 34,
}
