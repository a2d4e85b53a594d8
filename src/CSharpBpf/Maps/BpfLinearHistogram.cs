using CSharpBpf.Aggregation;

namespace CSharpBpf;

/// <summary>
/// A histogram with fixed-width buckets, as bpftrace's lhist(): one slot below <c>minimum</c>, (maximum - minimum) / step
/// slots, one slot at <c>maximum</c> and above. The bounds must be constants. It is a per-CPU array of counters; the
/// skeleton reads it as a HistogramMap. Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(6)]
public sealed class BpfLinearHistogram
{
    private readonly HistogramScale _scale;
    private readonly ulong[] _counts;

    /// <summary>Buckets of <paramref name="step"/> from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public BpfLinearHistogram(long minimum, long maximum, long step)
    {
        _scale = HistogramScale.Linear(minimum, maximum, step);
        _counts = new ulong[_scale.SlotCount];
    }

    /// <summary>Counts <paramref name="value"/> in its bucket.</summary>
    public void Record(long value) => System.Threading.Interlocked.Increment(ref _counts[_scale.SlotOf(value)]);

    /// <summary>The counts so far (plain .NET only).</summary>
    public Histogram Snapshot() => new(_scale, (ulong[])_counts.Clone());
}
