using System.Collections.Generic;
using System.Runtime.InteropServices;
using CSharpBpf.Loading;

namespace CSharpBpf.Aggregation;

/// <summary>A loaded BpfKeyedHistogram: one power-of-two histogram per key, with the CPUs summed.</summary>
public sealed class KeyedHistogramMap<TKey> where TKey : unmanaged
{
    private readonly BpfMap<HistogramKey<TKey>, ulong> _map;

    /// <summary>The histograms in <paramref name="map"/>.</summary>
    public KeyedHistogramMap(BpfMap map) => _map = new BpfMap<HistogramKey<TKey>, ulong>(map);

    /// <summary>The map.</summary>
    public BpfMap Map => _map.Map;

    /// <summary>Every key's histogram now.</summary>
    public IReadOnlyDictionary<TKey, Histogram> Read()
    {
        var counts = new Dictionary<TKey, ulong[]>();
        foreach (var raw in _map.Map.Keys())
        {
            var key = MemoryMarshal.Read<HistogramKey<TKey>>(raw);
            if (key.Slot >= HistogramScale.Log2.SlotCount || !_map.TryGetPerCpu(key, out var perCpu)) continue;
            if (!counts.TryGetValue(key.Key, out var slots)) counts[key.Key] = slots = new ulong[HistogramScale.Log2.SlotCount];
            foreach (ulong count in perCpu) slots[key.Slot] += count;
        }
        var result = new Dictionary<TKey, Histogram>();
        foreach (var (key, slots) in counts) result[key] = new Histogram(HistogramScale.Log2, slots);
        return result;
    }
}
