using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>do_sys_openat2(int dfd, const char __user *filename, struct open_how *how), then (fexit) its long result.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct OpenatArgs
{
    [FieldOffset(0)] public int Dfd;
    [FieldOffset(8)] public ulong Filename;
    [FieldOffset(16)] public ulong How;
    [FieldOffset(24)] public long Result;
}

/// <summary>fentry and fexit on do_sys_openat2: they need BPF trampolines, which this project's CI kernel lacks.</summary>
[BpfObject]
public static partial class TrampolineProbes
{
    static readonly BpfArray<long> Counts = new(maxEntries: 2);
    static readonly int TargetPid = 0;

    [Fentry("do_sys_openat2")]
    public static int OnOpen(TracingContext<OpenatArgs> ctx)
    {
        if ((int)(Bpf.GetCurrentPidTgid() >> 32) != TargetPid) return 0;
        ref long opens = ref Counts.GetValueRefOrNullRef(0);
        if (!Unsafe.IsNullRef(ref opens)) System.Threading.Interlocked.Increment(ref opens);
        return 0;
    }

    [Fexit("do_sys_openat2")]
    public static int OnOpenReturn(TracingContext<OpenatArgs> ctx)
    {
        if ((int)(Bpf.GetCurrentPidTgid() >> 32) != TargetPid || ctx.Args.Result >= 0) return 0;
        ref long failures = ref Counts.GetValueRefOrNullRef(1);
        if (!Unsafe.IsNullRef(ref failures)) System.Threading.Interlocked.Increment(ref failures);
        return 0;
    }
}

/// <summary>lsm/file_open's arguments: the file, then the return value of the hooks before this one.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct FileOpenArgs
{
    [FieldOffset(0)] public ulong File;
    [FieldOffset(8)] public int Previous;
}

/// <summary>An LSM program denying opens by one process: it needs BPF LSM enabled at boot, which this CI kernel lacks.</summary>
[BpfObject]
public static partial class LsmProbes
{
    static readonly int TargetPid = 0;

    [Lsm("file_open")]
    public static int DenyOpen(TracingContext<FileOpenArgs> ctx)
    {
        if (ctx.Args.Previous != 0) return ctx.Args.Previous;
        return (int)(Bpf.GetCurrentPidTgid() >> 32) == TargetPid ? -13 : 0; // -EACCES
    }
}

/// <summary>An LSM program that lets every open through and counts those of one command.</summary>
[BpfObject]
public static partial class LsmOpenCounter
{
    static readonly BpfArray<long> Opens = new(maxEntries: 1);

    /// <summary>The command whose opens are counted (set before load).</summary>
    static readonly Comm Target = default;

    [Lsm("file_open")]
    public static int CountOpen(TracingContext<FileOpenArgs> ctx)
    {
        if (!Bpf.GetCurrentComm(out Comm comm) || comm != Target) return ctx.Args.Previous;
        ref long opens = ref Opens.GetValueRefOrNullRef(0);
        if (!Unsafe.IsNullRef(ref opens)) System.Threading.Interlocked.Increment(ref opens);
        return ctx.Args.Previous;
    }
}
