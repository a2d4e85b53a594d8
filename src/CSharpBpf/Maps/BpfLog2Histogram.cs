using CSharpBpf.Aggregation;

namespace CSharpBpf;

/// <summary>
/// A power-of-two histogram, as bpftrace's hist(): <see cref="Record"/> counts a value in slot 0 (for 0) or k
/// (for [2^(k-1), 2^k)). It is a per-CPU array of 65 counters (BPF_MAP_TYPE_PERCPU_ARRAY), so recording takes no lock;
/// the skeleton reads it as a HistogramMap that sums the CPUs and renders bpftrace's ASCII bars.
/// Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(6)]
public sealed class BpfLog2Histogram
{
    private readonly ulong[] _counts = new ulong[HistogramScale.Log2.SlotCount];

    /// <summary>Counts <paramref name="value"/> in its power-of-two slot.</summary>
    public void Record(ulong value) => System.Threading.Interlocked.Increment(ref _counts[HistogramScale.Log2.SlotOf((long)value)]);

    /// <summary>The counts so far (plain .NET only).</summary>
    public Histogram Snapshot() => new(HistogramScale.Log2, (ulong[])_counts.Clone());
}
