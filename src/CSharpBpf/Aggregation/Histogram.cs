using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CSharpBpf.Aggregation;

/// <summary>A histogram's counts at one moment, rendered like bpftrace's hist() and lhist().</summary>
public sealed class Histogram
{
    private const int BarWidth = 52;

    /// <summary>A histogram of <paramref name="counts"/>, one per slot of <paramref name="scale"/>.</summary>
    public Histogram(HistogramScale scale, IReadOnlyList<ulong> counts)
    {
        if (counts.Count != scale.SlotCount) throw new ArgumentException($"the scale has {scale.SlotCount} slots, not {counts.Count}", nameof(counts));
        Scale = scale;
        Buckets = counts.Select((count, slot) =>
        {
            var (low, high) = scale.RangeOf(slot);
            return new HistogramBucket(low, high, count);
        }).ToArray();
    }

    /// <summary>The scale the slots follow.</summary>
    public HistogramScale Scale { get; }

    /// <summary>Every slot, in order.</summary>
    public IReadOnlyList<HistogramBucket> Buckets { get; }

    /// <summary>The number of values recorded.</summary>
    public ulong TotalCount => Buckets.Aggregate(0UL, (sum, b) => sum + b.Count);

    /// <summary>The buckets from the first to the last non-empty one, a line each: the range, the count and a bar
    /// scaled to the largest count, as bpftrace prints them. Empty when nothing was recorded.</summary>
    public string Render()
    {
        int first = -1, last = -1;
        for (int i = 0; i < Buckets.Count; i++)
        {
            if (Buckets[i].Count == 0) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0) return "";
        ulong max = Buckets.Max(b => b.Count);
        var text = new StringBuilder();
        for (int i = first; i <= last; i++)
        {
            var bucket = Buckets[i];
            int bar = (int)(bucket.Count * BarWidth / max);
            text.Append(Label(bucket).PadRight(20)).Append(bucket.Count.ToString().PadLeft(8))
                .Append(" |").Append(new string('@', bar)).Append(' ', BarWidth - bar).Append("|\n");
        }
        return text.ToString();
    }

    /// <inheritdoc cref="Render"/>
    public override string ToString() => Render();

    private string Label(HistogramBucket bucket)
    {
        if (Scale.IsLog2)
            return bucket.Low is 0 or 1 ? $"[{bucket.Low}]" : $"[{Size(bucket.Low!.Value)}, {(bucket.High is long high ? Size(high) : "...")})";
        if (bucket.Low is null) return $"(..., {bucket.High})";
        if (bucket.High is null) return $"[{bucket.Low}, ...)";
        return $"[{bucket.Low}, {bucket.High})";
    }

    // bpftrace writes powers of two with binary suffixes: 1K, 2M, 4G …
    private static string Size(long value)
    {
        string[] suffixes = { "", "K", "M", "G", "T", "P", "E" };
        int power = 0;
        while (power < suffixes.Length - 1 && value >= 1024 && value % 1024 == 0)
        {
            value /= 1024;
            power++;
        }
        return value + suffixes[power];
    }
}
