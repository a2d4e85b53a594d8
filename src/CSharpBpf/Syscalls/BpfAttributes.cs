using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

// The pieces of union bpf_attr we pass, field for field as in include/uapi/linux/bpf.h. The kernel
// accepts an attr shorter than its own as long as it is what older kernels knew, and zero-fills
// the rest; so each struct ends where our use ends.

/// <summary>BPF_MAP_CREATE's attr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MapCreateAttr
{
    public uint MapType;          // map_type
    public uint KeySize;          // key_size
    public uint ValueSize;        // value_size
    public uint MaxEntries;       // max_entries
    public uint MapFlags;         // map_flags
    public uint InnerMapFd;       // inner_map_fd
    public uint NumaNode;         // numa_node
    public fixed byte MapName[16];// map_name (BPF_OBJ_NAME_LEN)
    public uint MapIfindex;       // map_ifindex
    public uint BtfFd;            // btf_fd
    public uint BtfKeyTypeId;     // btf_key_type_id
    public uint BtfValueTypeId;   // btf_value_type_id
}

/// <summary>BPF_MAP_*_ELEM's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct MapElemAttr
{
    [FieldOffset(0)] public uint MapFd;   // map_fd
    [FieldOffset(8)] public ulong Key;    // key (pointer)
    [FieldOffset(16)] public ulong Value; // value or next_key (pointer)
    [FieldOffset(24)] public ulong Flags; // flags
}

/// <summary>BPF_PROG_LOAD's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 112)]
internal unsafe struct ProgLoadAttr
{
    [FieldOffset(0)] public uint ProgType;            // prog_type
    [FieldOffset(4)] public uint InsnCnt;             // insn_cnt
    [FieldOffset(8)] public ulong Insns;              // insns (pointer)
    [FieldOffset(16)] public ulong License;           // license (pointer to a C string)
    [FieldOffset(24)] public uint LogLevel;           // log_level
    [FieldOffset(28)] public uint LogSize;            // log_size
    [FieldOffset(32)] public ulong LogBuf;            // log_buf (pointer)
    [FieldOffset(40)] public uint KernVersion;        // kern_version
    [FieldOffset(44)] public uint ProgFlags;          // prog_flags
    [FieldOffset(48)] public fixed byte ProgName[16]; // prog_name
    [FieldOffset(64)] public uint ProgIfindex;        // prog_ifindex
    [FieldOffset(68)] public uint ExpectedAttachType; // expected_attach_type
    [FieldOffset(72)] public uint ProgBtfFd;          // prog_btf_fd
    [FieldOffset(76)] public uint FuncInfoRecSize;    // func_info_rec_size
    [FieldOffset(80)] public ulong FuncInfo;          // func_info (pointer to struct bpf_func_info[])
    [FieldOffset(88)] public uint FuncInfoCnt;        // func_info_cnt
    [FieldOffset(92)] public uint LineInfoRecSize;    // line_info_rec_size
    [FieldOffset(96)] public ulong LineInfo;          // line_info (pointer to struct bpf_line_info[])
    [FieldOffset(104)] public uint LineInfoCnt;       // line_info_cnt
    [FieldOffset(108)] public uint AttachBtfId;       // attach_btf_id
}

/// <summary>BPF_PROG_TEST_RUN's attr (the "test" member).</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct ProgTestRunAttr
{
    [FieldOffset(0)] public uint ProgFd;       // prog_fd
    [FieldOffset(4)] public uint Retval;       // retval (out)
    [FieldOffset(8)] public uint DataSizeIn;   // data_size_in
    [FieldOffset(12)] public uint DataSizeOut; // data_size_out (in: buffer size; out: bytes written)
    [FieldOffset(16)] public ulong DataIn;     // data_in (pointer)
    [FieldOffset(24)] public ulong DataOut;    // data_out (pointer)
    [FieldOffset(32)] public uint Repeat;      // repeat
    [FieldOffset(36)] public uint Duration;    // duration (out, ns per run)
    [FieldOffset(40)] public uint CtxSizeIn;   // ctx_size_in
    [FieldOffset(44)] public uint CtxSizeOut;  // ctx_size_out
    [FieldOffset(48)] public ulong CtxIn;      // ctx_in (pointer)
    [FieldOffset(56)] public ulong CtxOut;     // ctx_out (pointer)
    [FieldOffset(64)] public uint Flags;       // flags
    [FieldOffset(68)] public uint Cpu;         // cpu
    [FieldOffset(72)] public uint BatchSize;   // batch_size
}

/// <summary>BPF_LINK_CREATE's attr (the link_create member).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct LinkCreateAttr
{
    [FieldOffset(0)] public uint ProgFd;     // prog_fd
    [FieldOffset(4)] public uint Target;     // target_fd or target_ifindex
    [FieldOffset(8)] public uint AttachType; // attach_type
    [FieldOffset(12)] public uint Flags;     // flags
    [FieldOffset(16)] public ulong Cookie;   // perf_event.bpf_cookie (Linux 5.15+)
}

/// <summary>BPF_RAW_TRACEPOINT_OPEN's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct RawTracepointAttr
{
    [FieldOffset(0)] public ulong Name;  // name (pointer)
    [FieldOffset(8)] public uint ProgFd; // prog_fd
}

/// <summary>BPF_OBJ_PIN / BPF_OBJ_GET's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct ObjAttr
{
    [FieldOffset(0)] public ulong Pathname; // pathname (pointer)
    [FieldOffset(8)] public uint BpfFd;     // bpf_fd
    [FieldOffset(12)] public uint FileFlags;// file_flags
}

/// <summary>BPF_BTF_LOAD's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct BtfLoadAttr
{
    [FieldOffset(0)] public ulong Btf;       // btf (pointer)
    [FieldOffset(8)] public ulong LogBuf;    // btf_log_buf (pointer)
    [FieldOffset(16)] public uint BtfSize;   // btf_size
    [FieldOffset(20)] public uint LogSize;   // btf_log_size
    [FieldOffset(24)] public uint LogLevel;  // btf_log_level
}

/// <summary>BPF_MAP_*_BATCH's attr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
internal struct MapBatchAttr
{
    [FieldOffset(0)] public ulong InBatch;   // in_batch (pointer)
    [FieldOffset(8)] public ulong OutBatch;  // out_batch (pointer)
    [FieldOffset(16)] public ulong Keys;     // keys (pointer)
    [FieldOffset(24)] public ulong Values;   // values (pointer)
    [FieldOffset(32)] public uint Count;     // count (in: room, out: read)
    [FieldOffset(36)] public uint MapFd;     // map_fd
    [FieldOffset(40)] public ulong ElemFlags;// elem_flags
    [FieldOffset(48)] public ulong Flags;    // flags
}
