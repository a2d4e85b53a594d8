using System;
using System.IO;
using System.Linq;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>Typed map access from .NET: flags, per-CPU values, batch lookup, maps opened from a pin.</summary>
public sealed class MapAccessTests
{
    [KernelFact]
    public void Per_cpu_values_come_one_per_cpu_and_sum_to_the_runs()
    {
        using var loaded = LinkFixtures.Load();
        loaded.Program("xdp_sequence").TestRun(new byte[64], 100);
        var runs = new BpfMap<uint, ulong>(loaded.Map("runs"));
        Assert.True(runs.TryGetPerCpu(0, out var perCpu));
        Assert.Equal(BpfMap.PossibleCpus, perCpu.Length);
        Assert.Equal(100ul, perCpu.Aggregate(0ul, (a, b) => a + b));
        var error = Assert.Throws<InvalidOperationException>(() => runs.TryGetValue(0, out _));
        Assert.Contains("TryGetPerCpu", error.Message);
        runs.UpdatePerCpu(0, Enumerable.Repeat(7ul, BpfMap.PossibleCpus).ToArray());
        Assert.True(runs.TryGetPerCpu(0, out perCpu));
        Assert.All(perCpu, v => Assert.Equal(7ul, v));
    }

    [KernelFact]
    public void Update_flags_and_batch_lookup()
    {
        using var loaded = LinkFixtures.Load();
        var table = new BpfMap<uint, ulong>(loaded.Map("table"));
        Assert.True(table.TryAdd(1, 10));
        Assert.False(table.TryAdd(1, 11));
        Assert.Equal(10ul, table[1]);
        var missing = Assert.Throws<BpfException>(() => table.Update(2, 5, UpdateFlags.Exist));
        Assert.Equal(2, missing.Errno); // ENOENT
        for (uint key = 2; key <= 1000; key++) table[key] = key * 3;
        var all = table.LookupBatch(batchSize: 64).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(1000, all.Count);
        Assert.Equal(10ul, all[1]);
        Assert.Equal(3000ul, all[1000]);
        Assert.Equal(1000, table.Entries().Count());
        Assert.True(table.Remove(1000));
        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => table[1000]);
    }

    [KernelFact]
    public void A_pinned_map_opens_with_its_kernel_description()
    {
        using var loaded = LinkFixtures.Load();
        string pin = $"/sys/fs/bpf/csbpf-open-{Environment.ProcessId}";
        try
        {
            loaded.Map("table").Pin(pin);
            new BpfMap<uint, ulong>(loaded.Map("table"))[42] = 4242;
            using var opened = BpfMap.OpenPinned(pin);
            Assert.Equal(BpfMapType.Hash, opened.Type);
            Assert.Equal((4, 8, 4096), (opened.KeySize, opened.ValueSize, opened.MaxEntries));
            Assert.Equal(4242ul, new BpfMap<uint, ulong>(opened)[42]);
            var info = KernelObjectInfo.Map(opened.Descriptor);
            Assert.Contains(info.Id, KernelObjectInfo.MapIds());
        }
        finally
        {
            if (File.Exists(pin)) File.Delete(pin);
        }
    }
}
