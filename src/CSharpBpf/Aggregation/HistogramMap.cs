using System;
using CSharpBpf.Loading;

namespace CSharpBpf.Aggregation;

/// <summary>A loaded BpfLog2Histogram or BpfLinearHistogram: reads every slot and sums the CPUs.</summary>
public sealed class HistogramMap
{
    private readonly BpfMap<uint, ulong> _map;

    /// <summary>The histogram in <paramref name="map"/>, with the slots of <paramref name="scale"/>.</summary>
    public HistogramMap(BpfMap map, HistogramScale scale)
    {
        if (map.MaxEntries != scale.SlotCount)
            throw new ArgumentException($"map {map.Name} has {map.MaxEntries} slots but the scale needs {scale.SlotCount}", nameof(scale));
        _map = new BpfMap<uint, ulong>(map);
        Scale = scale;
    }

    /// <summary>The map.</summary>
    public BpfMap Map => _map.Map;

    /// <summary>The value ranges of the slots.</summary>
    public HistogramScale Scale { get; }

    /// <summary>The counts now.</summary>
    public Histogram Read()
    {
        var counts = new ulong[Scale.SlotCount];
        for (uint slot = 0; slot < counts.Length; slot++)
        {
            if (_map.Map.IsPerCpu)
            {
                if (_map.TryGetPerCpu(slot, out var perCpu)) foreach (ulong count in perCpu) counts[slot] += count;
            }
            else if (_map.TryGetValue(slot, out ulong count)) counts[slot] = count;
        }
        return new Histogram(Scale, counts);
    }

    /// <summary>Zeroes every slot (bpftrace's clear()).</summary>
    public void Clear()
    {
        var zeros = new ulong[_map.Map.IsPerCpu ? BpfMap.PossibleCpus : 1];
        for (uint slot = 0; slot < Scale.SlotCount; slot++)
        {
            if (_map.Map.IsPerCpu) _map.UpdatePerCpu(slot, zeros);
            else _map.Update(slot, 0);
        }
    }
}
