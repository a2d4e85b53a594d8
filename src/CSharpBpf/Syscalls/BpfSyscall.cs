using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Syscalls;

/// <summary>Typed wrappers over bpf(2). Each failure is a <see cref="BpfException"/> that names the
/// operation; a missing map key is a false return, not an exception.</summary>
public static unsafe partial class BpfSyscall
{
    // bpf(2) has no libc wrapper; syscall(2) with the architecture's number it is.
    private static readonly long SyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var other => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {other}"),
    };

    private const int ENOENT = 2;
    private const int ENOSPC = 28;

    /// <summary>Creates a map.</summary>
    public static BpfFileDescriptor MapCreate(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string? name = null)
    {
        var attr = new MapCreateAttr { MapType = (uint)type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, MapFlags = flags };
        CopyName(name, attr.MapName);
        int fd = Invoke(BpfCommand.MapCreate, &attr, sizeof(MapCreateAttr), out int errno);
        if (fd < 0) throw new BpfException($"BPF_MAP_CREATE of {type} map '{name}' (key {keySize} B, value {valueSize} B, {maxEntries} entries)", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>Writes one element (BPF_ANY unless <paramref name="flags"/> says BPF_NOEXIST=1 / BPF_EXIST=2).</summary>
    public static void MapUpdate(BpfFileDescriptor map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)map.Value, Key = (ulong)k, Value = (ulong)v, Flags = flags };
            if (Invoke(BpfCommand.MapUpdateElem, &attr, sizeof(MapElemAttr), out int errno) < 0)
                throw new BpfException($"BPF_MAP_UPDATE_ELEM on map fd {map.Value}", errno);
        }
    }

    /// <summary>Reads one element into <paramref name="value"/>; false when the key is absent.</summary>
    public static bool MapLookup(BpfFileDescriptor map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)map.Value, Key = (ulong)k, Value = (ulong)v };
            if (Invoke(BpfCommand.MapLookupElem, &attr, sizeof(MapElemAttr), out int errno) >= 0) return true;
            if (errno == ENOENT) return false;
            throw new BpfException($"BPF_MAP_LOOKUP_ELEM on map fd {map.Value}", errno);
        }
    }

    /// <summary>Deletes one element; false when the key is absent.</summary>
    public static bool MapDelete(BpfFileDescriptor map, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            var attr = new MapElemAttr { MapFd = (uint)map.Value, Key = (ulong)k };
            if (Invoke(BpfCommand.MapDeleteElem, &attr, sizeof(MapElemAttr), out int errno) >= 0) return true;
            if (errno == ENOENT) return false;
            throw new BpfException($"BPF_MAP_DELETE_ELEM on map fd {map.Value}", errno);
        }
    }

    /// <summary>Writes the key after <paramref name="key"/> (the first key when <paramref name="key"/> is empty) into
    /// <paramref name="nextKey"/>; false after the last key.</summary>
    public static bool MapGetNextKey(BpfFileDescriptor map, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            var attr = new MapElemAttr { MapFd = (uint)map.Value, Key = key.IsEmpty ? 0 : (ulong)k, Value = (ulong)n };
            if (Invoke(BpfCommand.MapGetNextKey, &attr, sizeof(MapElemAttr), out int errno) >= 0) return true;
            if (errno == ENOENT) return false;
            throw new BpfException($"BPF_MAP_GET_NEXT_KEY on map fd {map.Value}", errno);
        }
    }

    /// <summary>Reads up to <paramref name="count"/> elements after <paramref name="inBatch"/> (BPF_MAP_LOOKUP_BATCH);
    /// returns how many were read and whether more remain.</summary>
    public static (int Count, bool More) MapLookupBatch(BpfFileDescriptor map, Span<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, int count, bool first)
    {
        fixed (byte* i = inBatch)
        fixed (byte* o = outBatch)
        fixed (byte* k = keys)
        fixed (byte* v = values)
        {
            var attr = new MapBatchAttr { InBatch = first ? 0 : (ulong)i, OutBatch = (ulong)o, Keys = (ulong)k, Values = (ulong)v, Count = (uint)count, MapFd = (uint)map.Value };
            if (Invoke(BpfCommand.MapLookupBatch, &attr, sizeof(MapBatchAttr), out int errno) >= 0) return ((int)attr.Count, true);
            if (errno == ENOENT) return ((int)attr.Count, false);
            throw new BpfException($"BPF_MAP_LOOKUP_BATCH on map fd {map.Value}", errno);
        }
    }

    /// <summary>Makes a map read-only for user space from now on (how .rodata becomes constant for the verifier).</summary>
    public static void MapFreeze(BpfFileDescriptor map)
    {
        var attr = new MapElemAttr { MapFd = (uint)map.Value };
        if (Invoke(BpfCommand.MapFreeze, &attr, sizeof(MapElemAttr), out int errno) < 0)
            throw new BpfException($"BPF_MAP_FREEZE on map fd {map.Value}", errno);
    }

    /// <summary>Loads a program. It is loaded first without a log (as libbpf does, so a long
    /// successful log can't fail the load); on refusal it is loaded again with the verifier log,
    /// which the exception carries.</summary>
    public static BpfFileDescriptor ProgLoad(BpfProgramType type, ReadOnlySpan<byte> instructions, string license = "GPL", string? name = null, BpfAttachType expectedAttachType = 0) =>
        ProgLoad(type, instructions, license, name, expectedAttachType, null);

    /// <summary>Loads a program with its BTF function and line information (so the verifier's log, bpftool and
    /// perf show its source lines); on refusal the exception carries the log.</summary>
    internal static BpfFileDescriptor ProgLoad(BpfProgramType type, ReadOnlySpan<byte> instructions, string license, string? name, BpfAttachType expectedAttachType, ProgramBtf? btf, int attachBtfId = 0)
    {
        if (TryProgLoad(type, instructions, license, name, null, expectedAttachType, btf, out int fd, out int errno, attachBtfId)) return new BpfFileDescriptor(fd);
        var log = new byte[16 * 1024 * 1024];
        if (TryProgLoad(type, instructions, license, name, log, expectedAttachType, btf, out fd, out int logged, attachBtfId)) return new BpfFileDescriptor(fd);
        int length = Array.IndexOf(log, (byte)0);
        string text = Encoding.UTF8.GetString(log, 0, length < 0 ? log.Length : length);
        throw new BpfException($"BPF_PROG_LOAD of {type} program '{name}' ({instructions.Length / 8} instructions)", logged == ENOSPC ? errno : logged, text);
    }

    /// <summary>Loads a program with verifier log level 1 and returns the log too (for statistics such as "processed N insns").</summary>
    public static BpfFileDescriptor ProgLoad(BpfProgramType type, ReadOnlySpan<byte> instructions, out string verifierLog, string license = "GPL", string? name = null, BpfAttachType expectedAttachType = 0) =>
        ProgLoad(type, instructions, out verifierLog, license, name, expectedAttachType, null);

    /// <summary>Loads a program with its BTF function and line information and verifier log level 1; returns the log too.
    /// The kernel fails a load whose log outgrows the buffer (ENOSPC) even when the verifier accepts the program, so the
    /// buffer grows from 1 MiB to 128 MiB as libbpf's does; past that the program is loaded without a log and keeps the
    /// log's first 128 MiB.</summary>
    internal static BpfFileDescriptor ProgLoad(BpfProgramType type, ReadOnlySpan<byte> instructions, out string verifierLog, string license, string? name, BpfAttachType expectedAttachType, ProgramBtf? btf, int attachBtfId = 0)
    {
        const int largest = 128 * 1024 * 1024;
        for (int size = 1024 * 1024; ; size = Math.Min(size * 8, largest))
        {
            var log = new byte[size];
            bool loaded = TryProgLoad(type, instructions, license, name, log, expectedAttachType, btf, out int fd, out int errno, attachBtfId);
            int length = Array.IndexOf(log, (byte)0);
            verifierLog = Encoding.UTF8.GetString(log, 0, length < 0 ? log.Length : length);
            if (loaded) return new BpfFileDescriptor(fd);
            if (errno != ENOSPC) throw new BpfException($"BPF_PROG_LOAD of {type} program '{name}'", errno, verifierLog);
            if (size < largest) continue;
            if (TryProgLoad(type, instructions, license, name, null, expectedAttachType, btf, out fd, out errno, attachBtfId)) return new BpfFileDescriptor(fd);
            throw new BpfException($"BPF_PROG_LOAD of {type} program '{name}'", errno, verifierLog);
        }
    }

    private static bool TryProgLoad(BpfProgramType type, ReadOnlySpan<byte> instructions, string license, string? name, byte[]? log, BpfAttachType expectedAttachType, ProgramBtf? btf, out int fd, out int errno, int attachBtfId = 0)
    {
        var licenseBytes = Encoding.ASCII.GetBytes(license + "\0");
        fixed (byte* insns = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* logBuffer = log)
        fixed (byte* funcInfo = btf?.FuncInfo)
        fixed (byte* lineInfo = btf?.LineInfo)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)type,
                InsnCnt = (uint)(instructions.Length / 8),
                Insns = (ulong)insns,
                License = (ulong)lic,
                LogLevel = log == null ? 0u : 1u,
                LogSize = (uint)(log?.Length ?? 0),
                LogBuf = (ulong)logBuffer,
                ExpectedAttachType = (uint)expectedAttachType,
                AttachBtfId = (uint)attachBtfId, // for BTF-typed programs: the kernel type (vmlinux) they attach to
            };
            if (btf != null)
            {
                attr.ProgBtfFd = (uint)btf.Btf.Value;
                attr.FuncInfoRecSize = ProgramBtf.FuncInfoSize;
                attr.FuncInfo = (ulong)funcInfo;
                attr.FuncInfoCnt = (uint)(btf.FuncInfo.Length / ProgramBtf.FuncInfoSize);
                if (btf.LineInfo.Length > 0)
                {
                    attr.LineInfoRecSize = ProgramBtf.LineInfoSize;
                    attr.LineInfo = (ulong)lineInfo;
                    attr.LineInfoCnt = (uint)(btf.LineInfo.Length / ProgramBtf.LineInfoSize);
                }
            }
            CopyName(name, attr.ProgName);
            // The verifier gives up with EAGAIN when a signal is pending (the .NET runtime signals threads to suspend them
            // for the GC); libbpf tries five times, as here.
            fd = Invoke(BpfCommand.ProgLoad, &attr, sizeof(ProgLoadAttr), out errno);
            for (int attempt = 1; fd < 0 && errno == EAGAIN && attempt < 5; attempt++)
            {
                if (log != null) Array.Clear(log);
                fd = Invoke(BpfCommand.ProgLoad, &attr, sizeof(ProgLoadAttr), out errno);
            }
            return fd >= 0;
        }
    }

    /// <summary>Runs a loaded XDP, socket filter or tc program once per repetition on <paramref name="data"/> (BPF_PROG_TEST_RUN).</summary>
    public static TestRunResult ProgTestRun(BpfFileDescriptor program, ReadOnlySpan<byte> data, uint repeat = 1, ReadOnlySpan<byte> context = default)
    {
        // XDP may grow the packet by up to a page of tailroom/headroom; leave room for it.
        var output = new byte[data.Length + 4096];
        fixed (byte* dataIn = data)
        fixed (byte* dataOut = output)
        fixed (byte* ctx = context)
        {
            var attr = new ProgTestRunAttr
            {
                ProgFd = (uint)program.Value,
                DataSizeIn = (uint)data.Length,
                DataSizeOut = (uint)output.Length,
                DataIn = (ulong)dataIn,
                DataOut = (ulong)dataOut,
                Repeat = repeat,
                CtxSizeIn = (uint)context.Length,
                CtxIn = context.IsEmpty ? 0 : (ulong)ctx,
            };
            if (Invoke(BpfCommand.ProgTestRun, &attr, sizeof(ProgTestRunAttr), out int errno) < 0)
                throw new BpfException($"BPF_PROG_TEST_RUN of program fd {program.Value} with {data.Length} bytes", errno);
            return new TestRunResult(attr.Retval, attr.Duration, output.AsSpan(0, (int)Math.Min(attr.DataSizeOut, (uint)output.Length)).ToArray());
        }
    }

    /// <summary>Attaches a program by creating a link (BPF_LINK_CREATE); closing the link detaches it. For a perf event
    /// (a kprobe or uprobe), <paramref name="cookie"/> is what bpf_get_attach_cookie returns in the program (Linux 5.15+).</summary>
    public static BpfFileDescriptor LinkCreate(BpfFileDescriptor program, int target, BpfAttachType attachType, uint flags = 0, string? what = null, ulong cookie = 0)
    {
        var attr = new LinkCreateAttr { ProgFd = (uint)program.Value, Target = (uint)target, AttachType = (uint)attachType, Flags = flags, Cookie = cookie };
        int fd = Invoke(BpfCommand.LinkCreate, &attr, sizeof(LinkCreateAttr), out int errno);
        if (fd < 0) throw new BpfException($"BPF_LINK_CREATE ({attachType}) of program fd {program.Value} to {what ?? "target " + target}", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>A descriptor whose reads run an iterator link's program (BPF_ITER_CREATE, Linux 5.8+).</summary>
    public static BpfFileDescriptor IterCreate(BpfFileDescriptor link)
    {
        ulong attr = (uint)link.Value; // link_fd, flags 0
        int fd = Invoke(BpfCommand.IterCreate, &attr, sizeof(ulong), out int errno);
        if (fd < 0) throw new BpfException($"BPF_ITER_CREATE of link fd {link.Value}", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>Detaches a link at once (BPF_LINK_DETACH, Linux 5.9+), even while another process still holds a copy of its
    /// descriptor (a child forked before it execs). False where the link type cannot detach (EOPNOTSUPP, EINVAL): closing
    /// the last descriptor detaches those.</summary>
    public static bool LinkDetach(BpfFileDescriptor link)
    {
        uint attr = (uint)link.Value;
        return Invoke(BpfCommand.LinkDetach, &attr, sizeof(uint), out _) == 0;
    }

    /// <summary>Attaches a program to a raw tracepoint (BPF_RAW_TRACEPOINT_OPEN); closing the descriptor detaches it.</summary>
    public static BpfFileDescriptor RawTracepointOpen(BpfFileDescriptor program, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            var attr = new RawTracepointAttr { Name = (ulong)n, ProgFd = (uint)program.Value };
            int fd = Invoke(BpfCommand.RawTracepointOpen, &attr, sizeof(RawTracepointAttr), out int errno);
            if (fd < 0) throw new BpfException($"BPF_RAW_TRACEPOINT_OPEN of '{name}'", errno);
            return new BpfFileDescriptor(fd);
        }
    }

    /// <summary>Turns on run-time statistics (run_time_ns, run_cnt in <see cref="ProgramInfo"/>) for every program until the
    /// returned descriptor is closed (BPF_ENABLE_STATS with BPF_STATS_RUN_TIME).</summary>
    public static BpfFileDescriptor EnableStatistics()
    {
        uint type = 0; // BPF_STATS_RUN_TIME
        int fd = Invoke(BpfCommand.EnableStats, &type, sizeof(uint), out int errno);
        if (fd < 0) throw new BpfException("BPF_ENABLE_STATS", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>Pins a map, program or link at a path in bpffs (BPF_OBJ_PIN), so it outlives this process.</summary>
    public static void ObjPin(BpfFileDescriptor fd, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new ObjAttr { Pathname = (ulong)p, BpfFd = (uint)fd.Value };
            if (Invoke(BpfCommand.ObjPin, &attr, sizeof(ObjAttr), out int errno) < 0)
                throw errno == 1 && !BpfFileSystem.Contains(path)
                    ? BpfException.WithCause($"BPF_OBJ_PIN at {path}", errno, "EPERM: the path is not in a bpf filesystem; pin under /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf where it is not mounted)")
                    : new BpfException($"BPF_OBJ_PIN at {path} (is bpffs mounted at /sys/fs/bpf?)", errno);
        }
    }

    /// <summary>Opens what is pinned at a path in bpffs (BPF_OBJ_GET).</summary>
    public static BpfFileDescriptor ObjGet(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new ObjAttr { Pathname = (ulong)p };
            int fd = Invoke(BpfCommand.ObjGet, &attr, sizeof(ObjAttr), out int errno);
            if (fd < 0) throw new BpfException($"BPF_OBJ_GET of {path}", errno);
            return new BpfFileDescriptor(fd);
        }
    }

    /// <summary>Loads BTF type information into the kernel (BPF_BTF_LOAD), for maps and programs to refer to.</summary>
    public static BpfFileDescriptor BtfLoad(ReadOnlySpan<byte> btf)
    {
        var log = new byte[64 * 1024];
        fixed (byte* b = btf)
        fixed (byte* l = log)
        {
            var attr = new BtfLoadAttr { Btf = (ulong)b, BtfSize = (uint)btf.Length, LogBuf = (ulong)l, LogSize = (uint)log.Length, LogLevel = 1 };
            int fd = Invoke(BpfCommand.BtfLoad, &attr, sizeof(BtfLoadAttr), out int errno);
            if (fd >= 0) return new BpfFileDescriptor(fd);
            int length = Array.IndexOf(log, (byte)0);
            throw new BpfException($"BPF_BTF_LOAD of {btf.Length} bytes", errno, Encoding.UTF8.GetString(log, 0, length < 0 ? log.Length : length));
        }
    }

    /// <summary>Creates a map whose key and value are described by BTF types.</summary>
    public static BpfFileDescriptor MapCreate(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, string? name, BpfFileDescriptor? btf, uint keyTypeId, uint valueTypeId)
    {
        var attr = new MapCreateAttr { MapType = (uint)type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, MapFlags = flags };
        CopyName(name, attr.MapName);
        if (btf != null)
        {
            attr.BtfFd = (uint)btf.Value;
            attr.BtfKeyTypeId = keyTypeId;
            attr.BtfValueTypeId = valueTypeId;
        }
        int fd = Invoke(BpfCommand.MapCreate, &attr, sizeof(MapCreateAttr), out int errno);
        if (fd < 0) throw new BpfException($"BPF_MAP_CREATE of {type} map '{name}' (key {keySize} B, value {valueSize} B, {maxEntries} entries)", errno);
        return new BpfFileDescriptor(fd);
    }

    /// <summary>Issues a command whose attr the caller laid out; returns the raw result (negative on failure).</summary>
    internal static int InvokeRaw(BpfCommand command, void* attr, int size, out int errno) => Invoke(command, attr, size, out errno);

    private const int EAGAIN = 11;

    private static int Invoke(BpfCommand command, void* attr, int size, out int errno)
    {
        long result = syscall(SyscallNumber, (long)command, attr, (ulong)size);
        errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)result;
    }

    private static void CopyName(string? name, byte* destination)
    {
        if (name == null) return;
        // BPF_OBJ_NAME_LEN is 16 with the terminator; the kernel accepts only [A-Za-z0-9_.].
        int n = 0;
        foreach (char c in name)
        {
            if (n == 15) break;
            if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.') destination[n++] = (byte)c;
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long syscall(long number, long command, void* attr, ulong size);
}
