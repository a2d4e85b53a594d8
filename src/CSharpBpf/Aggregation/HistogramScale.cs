using System;

namespace CSharpBpf.Aggregation;

/// <summary>How a histogram's slots map to value ranges: powers of two, or fixed steps between a minimum and a maximum
/// with one slot below and one above.</summary>
public sealed record HistogramScale
{
    private HistogramScale(bool isLog2, long minimum, long maximum, long step)
    {
        IsLog2 = isLog2;
        Minimum = minimum;
        Maximum = maximum;
        Step = step;
    }

    /// <summary>Slot 0 holds 0, slot k ≥ 1 holds [2^(k-1), 2^k): 65 slots for 64-bit values (bpftrace's hist).</summary>
    public static HistogramScale Log2 { get; } = new(true, 0, 0, 0);

    /// <summary>Slot 0 holds values below <paramref name="minimum"/>, slots 1…n hold [minimum + (k-1)·step, minimum + k·step),
    /// slot n + 1 holds <paramref name="maximum"/> and above (bpftrace's lhist).</summary>
    public static HistogramScale Linear(long minimum, long maximum, long step)
    {
        if (step <= 0 || maximum <= minimum || (maximum - minimum) % step != 0)
            throw new ArgumentException($"a linear histogram needs minimum < maximum and a positive step dividing maximum - minimum (got {minimum}, {maximum}, {step})");
        return new HistogramScale(false, minimum, maximum, step);
    }

    /// <summary>Powers of two rather than fixed steps.</summary>
    public bool IsLog2 { get; }
    /// <summary>The linear scale's first bound.</summary>
    public long Minimum { get; }
    /// <summary>The linear scale's last bound.</summary>
    public long Maximum { get; }
    /// <summary>The linear scale's bucket width.</summary>
    public long Step { get; }

    /// <summary>How many slots the map holds.</summary>
    public int SlotCount => IsLog2 ? 65 : (int)((Maximum - Minimum) / Step) + 2;

    /// <summary>The slot <paramref name="value"/> falls in, as the program computes it.</summary>
    public int SlotOf(long value)
    {
        if (IsLog2) return value == 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        if (value < Minimum) return 0;
        if (value >= Maximum) return SlotCount - 1;
        return (int)((value - Minimum) / Step) + 1;
    }

    /// <summary>The value range of slot <paramref name="slot"/>.</summary>
    public (long? Low, long? High) RangeOf(int slot)
    {
        if (IsLog2)
        {
            if (slot == 0) return (0, 1);
            long low = 1L << (slot - 1);
            return (low, slot == 64 ? null : low << 1);
        }
        if (slot == 0) return (null, Minimum);
        if (slot == SlotCount - 1) return (Maximum, null);
        return (Minimum + (slot - 1) * Step, Minimum + slot * Step);
    }
}
