using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Syscalls;

/// <summary>Enumerating and describing the programs and maps loaded in the kernel (what bpftool prog/map list shows).</summary>
public static unsafe class KernelObjectInfo
{
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct IdAttr
    {
        [FieldOffset(0)] public uint StartId; // start_id, or prog_id / map_id
        [FieldOffset(4)] public uint NextId;  // next_id
    }

    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct InfoAttr
    {
        [FieldOffset(0)] public uint BpfFd;
        [FieldOffset(4)] public uint InfoLen;
        [FieldOffset(8)] public ulong Info;
    }

    /// <summary>The ids of every loaded program (BPF_PROG_GET_NEXT_ID until ENOENT).</summary>
    /// <exception cref="BpfException">The kernel refused the walk: EPERM without CAP_SYS_ADMIN (kernel/bpf/syscall.c,
    /// bpf_obj_get_next_id), rather than an empty list.</exception>
    public static uint[] ProgramIds() => Ids(BpfCommand.ProgGetNextId, "programs");

    /// <summary>The ids of every map (BPF_MAP_GET_NEXT_ID until ENOENT).</summary>
    /// <exception cref="BpfException">As <see cref="ProgramIds"/>.</exception>
    public static uint[] MapIds() => Ids(BpfCommand.MapGetNextId, "maps");

    private const int ENOENT = 2;

    private static uint[] Ids(BpfCommand command, string what)
    {
        var ids = new System.Collections.Generic.List<uint>();
        var attr = new IdAttr();
        int errno;
        while (BpfSyscall.InvokeRaw(command, &attr, sizeof(IdAttr), out errno) == 0)
        {
            ids.Add(attr.NextId);
            attr.StartId = attr.NextId;
        }
        // ENOENT ends the list; anything else (EPERM for an unprivileged caller) is no answer, not an empty one.
        if (errno != ENOENT) throw new BpfException($"listing the kernel's {what}", errno);
        return ids.ToArray();
    }

    /// <summary>True when <paramref name="e"/> says the object was gone by the time it was opened (ENOENT).</summary>
    public static bool IsGone(BpfException e) => e.Errno == ENOENT;

    /// <summary>Opens a program by id (BPF_PROG_GET_FD_BY_ID).</summary>
    public static BpfFileDescriptor OpenProgram(uint id) => OpenById(BpfCommand.ProgGetFdById, id, "program");

    /// <summary>Opens a map by id (BPF_MAP_GET_FD_BY_ID).</summary>
    public static BpfFileDescriptor OpenMap(uint id) => OpenById(BpfCommand.MapGetFdById, id, "map");

    private static BpfFileDescriptor OpenById(BpfCommand command, uint id, string what)
    {
        var attr = new IdAttr { StartId = id };
        int fd = BpfSyscall.InvokeRaw(command, &attr, sizeof(IdAttr), out int errno);
        if (fd < 0) throw new BpfException($"opening {what} id {id}", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>Describes the program behind <paramref name="fd"/>.</summary>
    public static ProgramInfo Program(BpfFileDescriptor fd)
    {
        var info = stackalloc byte[256];
        new Span<byte>(info, 256).Clear();
        var mapIds = new uint[64];
        fixed (uint* ids = mapIds)
        {
            *(uint*)(info + 52) = (uint)mapIds.Length; // nr_map_ids
            *(ulong*)(info + 56) = (ulong)ids;        // map_ids
            GetInfo(fd, info, 256, "program");
        }
        uint mapCount = Math.Min(*(uint*)(info + 52), (uint)mapIds.Length);
        return new ProgramInfo(*(uint*)(info + 4), (BpfProgramType)(*(uint*)info), Name(info + 64),
            Convert.ToHexString(new ReadOnlySpan<byte>(info + 8, 8)).ToLowerInvariant(), (int)(*(uint*)(info + 20) / 8), mapIds[..(int)mapCount],
            RunTimeNanoseconds: *(ulong*)(info + 192), RunCount: *(ulong*)(info + 200)); // run_time_ns, run_cnt
    }

    /// <summary>Describes the map behind <paramref name="fd"/>.</summary>
    public static MapInfo Map(BpfFileDescriptor fd)
    {
        var info = stackalloc byte[128];
        new Span<byte>(info, 128).Clear();
        GetInfo(fd, info, 128, "map");
        return new MapInfo(*(uint*)(info + 4), (BpfMapType)(*(uint*)info), Name(info + 24), (int)*(uint*)(info + 8), (int)*(uint*)(info + 12), (int)*(uint*)(info + 16), *(uint*)(info + 20));
    }

    private static void GetInfo(BpfFileDescriptor fd, byte* info, int length, string what)
    {
        var attr = new InfoAttr { BpfFd = (uint)fd.Value, InfoLen = (uint)length, Info = (ulong)info };
        if (BpfSyscall.InvokeRaw(BpfCommand.ObjGetInfoByFd, &attr, sizeof(InfoAttr), out int errno) < 0)
            throw new BpfException($"BPF_OBJ_GET_INFO_BY_FD of {what} fd {fd.Value}", errno);
    }

    private static string Name(byte* name)
    {
        int length = 0;
        while (length < 16 && name[length] != 0) length++;
        return Encoding.ASCII.GetString(name, length);
    }
}
