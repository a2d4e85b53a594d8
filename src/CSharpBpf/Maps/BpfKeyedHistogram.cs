using System.Collections.Generic;
using CSharpBpf.Aggregation;

namespace CSharpBpf;

/// <summary>
/// A power-of-two histogram per key, as bpftrace's <c>@[key] = hist(value)</c>: <see cref="Record"/> counts
/// a value in its key's slot. It is a per-CPU hash map of (key, slot) → count
/// (BPF_MAP_TYPE_PERCPU_HASH), so recording takes no lock; the skeleton reads it as a KeyedHistogramMap that sums the
/// CPUs and gives one Histogram per key. Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(5)]
public sealed class BpfKeyedHistogram<TKey> where TKey : unmanaged
{
    private readonly Dictionary<TKey, ulong[]> _counts = new();

    /// <summary>At most <paramref name="maxEntries"/> (key, slot) pairs; counts that do not fit are dropped.</summary>
    public BpfKeyedHistogram(int maxEntries) => MaxEntries = maxEntries;

    /// <summary>The capacity in (key, slot) pairs.</summary>
    public int MaxEntries { get; }

    /// <summary>Counts <paramref name="value"/> in <paramref name="key"/>'s power-of-two slot.</summary>
    public void Record(in TKey key, ulong value)
    {
        lock (_counts)
        {
            if (!_counts.TryGetValue(key, out var counts))
            {
                if (_counts.Count >= MaxEntries) return;
                _counts[key] = counts = new ulong[HistogramScale.Log2.SlotCount];
            }
            counts[HistogramScale.Log2.SlotOf((long)value)]++;
        }
    }

    /// <summary>Each key's histogram so far (plain .NET only).</summary>
    public IReadOnlyDictionary<TKey, Histogram> Snapshot()
    {
        lock (_counts)
        {
            var result = new Dictionary<TKey, Histogram>();
            foreach (var (key, counts) in _counts) result[key] = new Histogram(HistogramScale.Log2, (ulong[])counts.Clone());
            return result;
        }
    }
}
