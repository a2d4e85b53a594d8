using CSharpBpf;

namespace PyStat;

/// <summary>A module being imported by one thread: imports nest, so the start is kept per (thread, module).</summary>
public struct ImportKey
{
    public uint Thread;
    public CString128 Module;
}

/// <summary>What the imports of one module cost: how many, their total time, and how many found nothing.</summary>
public struct ImportStatistics
{
    public ulong Count;
    public ulong TotalNs;
    public ulong NotFound;
}

/// <summary>
/// CPython's USDT probes (python3 built --with-dtrace, as Debian's and Fedora's are): import__find__load__start(module)
/// and import__find__load__done(module, found) time each module import; gc__start(generation) and
/// gc__done(collected) time each collection. The interpreter fires them only while a tracer holds their semaphores,
/// which attaching sets: untraced, a probe costs the test of a counter.
/// </summary>
[BpfObject]
public static partial class PythonProbes
{
    static readonly BpfHashMap<ImportKey, ulong> ImportStarted = new(4096);
    static readonly BpfHashMap<CString128, ImportStatistics> Imports = new(4096);
    static readonly BpfHashMap<uint, ulong> CollectionStarted = new(4096);
    static readonly BpfHashMap<uint, int> CollectionGeneration = new(4096);
    static readonly BpfKeyedHistogram<int> PauseUs = new(256);
    static readonly BpfArray<ulong> Collected = new(maxEntries: 1);

    [Usdt("/usr/bin/python3", "python", "import__find__load__start")]
    public static void OnImportStart(UsdtContext ctx)
    {
        var key = new ImportKey { Thread = (uint)Bpf.GetCurrentPidTgid() };
        Bpf.ProbeReadUserString((ulong)ctx.Arg(0), out key.Module);
        ImportStarted.Update(key, Bpf.KtimeGetNs());
    }

    [Usdt("/usr/bin/python3", "python", "import__find__load__done")]
    public static void OnImportDone(UsdtContext ctx)
    {
        var key = new ImportKey { Thread = (uint)Bpf.GetCurrentPidTgid() };
        Bpf.ProbeReadUserString((ulong)ctx.Arg(0), out key.Module);
        if (!ImportStarted.TryGetValue(key, out ulong started)) return;
        ImportStarted.Remove(key);
        ulong elapsed = Bpf.KtimeGetNs() - started;
        var add = new ImportStatistics { Count = 1, TotalNs = elapsed, NotFound = ctx.Arg(1) == 0 ? 1UL : 0UL };
        ref ImportStatistics statistics = ref Imports.GetValueRefOrNullRef(key.Module);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref statistics))
        {
            Imports.TryAdd(key.Module, add);
            return;
        }
        System.Threading.Interlocked.Add(ref statistics.Count, 1);
        System.Threading.Interlocked.Add(ref statistics.TotalNs, elapsed);
        System.Threading.Interlocked.Add(ref statistics.NotFound, add.NotFound);
    }

    [Usdt("/usr/bin/python3", "python", "gc__start")]
    public static void OnCollectionStart(UsdtContext ctx)
    {
        uint thread = (uint)Bpf.GetCurrentPidTgid();
        CollectionStarted.Update(thread, Bpf.KtimeGetNs());
        CollectionGeneration.Update(thread, (int)ctx.Arg(0));
    }

    [Usdt("/usr/bin/python3", "python", "gc__done")]
    public static void OnCollectionDone(UsdtContext ctx)
    {
        uint thread = (uint)Bpf.GetCurrentPidTgid();
        if (!CollectionStarted.TryGetValue(thread, out ulong started) || !CollectionGeneration.TryGetValue(thread, out int generation)) return;
        CollectionStarted.Remove(thread);
        PauseUs.Record(generation, (Bpf.KtimeGetNs() - started) / 1000);
        ref ulong collected = ref Collected.GetValueRefOrNullRef(0);
        long objects = ctx.Arg(0);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref collected) && objects > 0) System.Threading.Interlocked.Add(ref collected, (ulong)objects);
    }
}
