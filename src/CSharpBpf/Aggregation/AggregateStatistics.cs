using System.Runtime.InteropServices;

namespace CSharpBpf.Aggregation;

/// <summary>Count, sum, minimum and maximum of the values recorded under one key (bpftrace's count(), sum(), min(),
/// max() and avg()). The layout is the map value's.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct AggregateStatistics
{
    /// <summary>How many values were recorded.</summary>
    public long Count;
    /// <summary>Their sum.</summary>
    public long Sum;
    /// <summary>The smallest (meaningless while <see cref="Count"/> is 0).</summary>
    public long Min;
    /// <summary>The largest (meaningless while <see cref="Count"/> is 0).</summary>
    public long Max;

    /// <summary>The mean, or 0 before the first value.</summary>
    public readonly double Average => Count == 0 ? 0 : (double)Sum / Count;

    /// <summary>Adds one value.</summary>
    public void Record(long value)
    {
        Min = Count == 0 || value < Min ? value : Min;
        Max = Count == 0 || value > Max ? value : Max;
        Count++;
        Sum += value;
    }

    /// <summary>Both sets of values together (per-CPU slots merged).</summary>
    public readonly AggregateStatistics Merge(AggregateStatistics other)
    {
        if (other.Count == 0) return this;
        if (Count == 0) return other;
        return new AggregateStatistics { Count = Count + other.Count, Sum = Sum + other.Sum, Min = System.Math.Min(Min, other.Min), Max = System.Math.Max(Max, other.Max) };
    }

    /// <inheritdoc/>
    public override readonly string ToString() => $"count {Count}, sum {Sum}, min {Min}, max {Max}, avg {Average:0.##}";
}
