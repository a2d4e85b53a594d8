using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;

namespace CSharpBpf;

/// <summary>
/// Kernel helpers for BPF programs. The compiler lowers each call to the helper of the same name
/// (bpf_ktime_get_ns, bpf_get_current_pid_tgid, …); as plain .NET each returns the same facts about
/// the calling thread.
/// </summary>
public static partial class Bpf
{
    private static readonly ConcurrentQueue<string> Trace = new();

    /// <summary>Lines written by <see cref="Printk"/> when run as plain .NET.</summary>
    public static IReadOnlyList<string> TraceLog => Trace.ToArray();

    /// <summary>Monotonic time in nanoseconds (bpf_ktime_get_ns).</summary>
    public static ulong KtimeGetNs() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <summary>The process id in the upper 32 bits and the thread id in the lower (bpf_get_current_pid_tgid).</summary>
    public static ulong GetCurrentPidTgid() => ((ulong)(uint)Environment.ProcessId << 32) | (uint)gettid();

    /// <summary>The group id in the upper 32 bits and the user id in the lower (bpf_get_current_uid_gid).</summary>
    public static ulong GetCurrentUidGid() => ((ulong)getgid() << 32) | getuid();

    /// <summary>The current task's command name (bpf_get_current_comm); false when it cannot be read.</summary>
    public static bool GetCurrentComm(out Comm comm)
    {
        comm = default;
        string name;
        try { name = File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n'); }
        catch (IOException) { return false; }
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        bytes.AsSpan(0, Math.Min(bytes.Length, 15)).CopyTo(comm);
        return true;
    }

    /// <summary>The CPU the program runs on (bpf_get_smp_processor_id).</summary>
    public static uint GetSmpProcessorId() => (uint)Thread.GetCurrentProcessorId();

    /// <summary>A pseudo-random number (bpf_get_prandom_u32).</summary>
    public static uint GetPrandomU32() => (uint)Random.Shared.NextInt64(0, 1L << 32);

    /// <summary>Writes a line to the kernel's trace pipe (bpf_trace_printk). Pass an interpolated string with
    /// at most three integer holes; the compiler turns it into the format and arguments.</summary>
    public static void Printk(string message)
    {
        Trace.Enqueue(message);
        System.Diagnostics.Trace.WriteLine(message);
    }

    [LibraryImport("libc.so.6")]
    private static partial int gettid();

    [LibraryImport("libc.so.6")]
    private static partial uint getuid();

    [LibraryImport("libc.so.6")]
    private static partial uint getgid();
}
