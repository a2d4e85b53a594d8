namespace CSharpBpf.Aggregation;

/// <summary>One bucket of a <see cref="Histogram"/>: values from <see cref="Low"/> up to (not including)
/// <see cref="High"/>; null bounds are open (below the first or above the last linear bucket).</summary>
public readonly record struct HistogramBucket(long? Low, long? High, ulong Count);
