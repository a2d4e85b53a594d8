using System.Collections.Generic;
using CSharpBpf.Loading;

namespace CSharpBpf.Aggregation;

/// <summary>A loaded BpfStatistics: each key's count, sum, minimum and maximum with the CPUs merged.</summary>
public sealed class StatisticsMap<TKey> where TKey : unmanaged
{
    private readonly BpfMap<TKey, AggregateStatistics> _map;

    /// <summary>The statistics in <paramref name="map"/>.</summary>
    public StatisticsMap(BpfMap map) => _map = new BpfMap<TKey, AggregateStatistics>(map);

    /// <summary>The map.</summary>
    public BpfMap Map => _map.Map;

    /// <summary>The statistics of <paramref name="key"/>; false when nothing was recorded under it.</summary>
    public bool TryGetValue(TKey key, out AggregateStatistics statistics)
    {
        statistics = default;
        if (!_map.TryGetPerCpu(key, out var perCpu)) return false;
        foreach (var cpu in perCpu) statistics = statistics.Merge(cpu);
        return statistics.Count > 0;
    }

    /// <summary>Every key's statistics now.</summary>
    public IReadOnlyDictionary<TKey, AggregateStatistics> Read()
    {
        var result = new Dictionary<TKey, AggregateStatistics>();
        foreach (var raw in _map.Map.Keys())
        {
            var key = System.Runtime.InteropServices.MemoryMarshal.Read<TKey>(raw);
            if (TryGetValue(key, out var statistics)) result[key] = statistics;
        }
        return result;
    }
}
