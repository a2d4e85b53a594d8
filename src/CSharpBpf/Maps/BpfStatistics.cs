using System.Collections.Generic;
using CSharpBpf.Aggregation;

namespace CSharpBpf;

/// <summary>
/// Count, sum, minimum and maximum per key, as bpftrace's count()/sum()/min()/max()/avg(): <see cref="Record"/> folds a
/// value into its key's <see cref="AggregateStatistics"/>. It is a per-CPU hash map (BPF_MAP_TYPE_PERCPU_HASH), so
/// recording takes no lock; the skeleton reads it as a StatisticsMap that merges the CPUs.
/// Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(5)]
public sealed class BpfStatistics<TKey> where TKey : unmanaged
{
    private readonly Dictionary<TKey, AggregateStatistics> _entries = new();

    /// <summary>At most <paramref name="maxEntries"/> keys; values under a key that does not fit are dropped.</summary>
    public BpfStatistics(int maxEntries) => MaxEntries = maxEntries;

    /// <summary>The capacity in keys.</summary>
    public int MaxEntries { get; }

    /// <summary>Folds <paramref name="value"/> into <paramref name="key"/>'s statistics.</summary>
    public void Record(in TKey key, long value)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out var statistics) && _entries.Count >= MaxEntries) return;
            statistics.Record(value);
            _entries[key] = statistics;
        }
    }

    /// <summary>The statistics so far (plain .NET only).</summary>
    public IReadOnlyDictionary<TKey, AggregateStatistics> Snapshot()
    {
        lock (_entries) return new Dictionary<TKey, AggregateStatistics>(_entries);
    }
}
