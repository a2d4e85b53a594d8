using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Testing;

/// <summary>Pins the calling thread to the CPU it is running on until disposed, then restores its affinity.
/// BPF_PROG_TEST_RUN executes on the caller's CPU, so per-CPU maps and perf buffers see one CPU only while pinned; a
/// scheduler migration between two runs would otherwise split their effects across CPUs (and machines with many CPUs
/// make that likely). Where affinity cannot be read or set, the thread is left as it was.</summary>
public sealed partial class CpuPin : IDisposable
{
    private readonly ulong[] _previous = new ulong[16];
    private readonly bool _pinned;

    /// <summary>The CPU the thread is pinned to.</summary>
    public int Cpu { get; }

    /// <summary>Pins the calling thread to its current CPU.</summary>
    public CpuPin()
    {
        Cpu = sched_getcpu();
        int size = _previous.Length * sizeof(ulong);
        if (Cpu < 0 || sched_getaffinity(0, size, _previous) != 0) return;
        var one = new ulong[_previous.Length];
        one[Cpu / 64] = 1UL << (Cpu % 64);
        _pinned = sched_setaffinity(0, size, one) == 0;
    }

    /// <summary>Restores the affinity the thread had.</summary>
    public void Dispose()
    {
        if (_pinned) sched_setaffinity(0, _previous.Length * sizeof(ulong), _previous);
    }

    [LibraryImport("libc.so.6")]
    private static partial int sched_getaffinity(int pid, int size, [Out] ulong[] mask);

    [LibraryImport("libc.so.6")]
    private static partial int sched_setaffinity(int pid, int size, ulong[] mask);

    [LibraryImport("libc.so.6")]
    private static partial int sched_getcpu();
}
