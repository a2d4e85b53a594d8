using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using CSharpBpf.Aggregation;
using CSharpBpf.Loading;

namespace CSharpBpf.Metrics;

/// <summary>Publishes what BPF programs count in maps through System.Diagnostics.Metrics, so any OpenTelemetry
/// exporter (Prometheus, OTLP) carries it to a fleet: counter maps as counters, value maps as gauges, statistics as a
/// count, a sum and min/max gauges, and histograms as histograms whose explicit bucket bounds are the BPF histogram's
/// slots (bpftrace's power-of-two or linear buckets). Counters, gauges and statistics are read from the maps when a
/// listener collects; histograms are brought up to date by <see cref="Update"/>, which <see cref="Start"/> calls on a
/// timer. Instrument names follow OpenTelemetry's conventions (dots; a Prometheus exporter turns them into underscores
/// and adds the unit and <c>_total</c>).</summary>
public sealed class BpfMetrics : IDisposable
{
    private readonly List<Action> _updates = new();
    private readonly object _gate = new();
    private Timer? _timer;

    /// <summary>Creates the meter <paramref name="meterName"/> (what an exporter's AddMeter names).</summary>
    public BpfMetrics(string meterName, string? version = null) => Meter = new Meter(meterName, version);

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>Each entry of <paramref name="map"/> (a count that only grows, e.g. packets per protocol) as the counter
    /// <paramref name="name"/>, its key turned into tags by <paramref name="tags"/>.</summary>
    public BpfMetrics AddCounter<TKey>(string name, BpfMap<TKey, ulong> map, Func<TKey, KeyValuePair<string, object?>[]> tags, string? unit = null, string? description = null)
        where TKey : unmanaged
    {
        Meter.CreateObservableCounter(name, () => map.Entries().Select(e => new Measurement<long>((long)e.Value, tags(e.Key))), unit, description);
        return this;
    }

    /// <summary>Each entry of <paramref name="map"/> (a value that goes up and down, e.g. bytes queued) as the gauge
    /// <paramref name="name"/>.</summary>
    public BpfMetrics AddGauge<TKey>(string name, BpfMap<TKey, long> map, Func<TKey, KeyValuePair<string, object?>[]> tags, string? unit = null, string? description = null)
        where TKey : unmanaged
    {
        Meter.CreateObservableGauge(name, () => map.Entries().Select(e => new Measurement<long>(e.Value, tags(e.Key))), unit, description);
        return this;
    }

    /// <summary>Each key of a BpfStatistics map as four instruments: <c>NAME.count</c> and <c>NAME.sum</c> (counters),
    /// <c>NAME.min</c> and <c>NAME.max</c> (gauges), all in <paramref name="unit"/>.</summary>
    public BpfMetrics AddStatistics<TKey>(string name, StatisticsMap<TKey> map, Func<TKey, KeyValuePair<string, object?>[]> tags, string? unit = null, string? description = null)
        where TKey : unmanaged
    {
        IEnumerable<Measurement<long>> Read(Func<AggregateStatistics, long> field) => map.Read().Select(e => new Measurement<long>(field(e.Value), tags(e.Key)));
        Meter.CreateObservableCounter(name + ".count", () => Read(s => s.Count), null, description);
        Meter.CreateObservableCounter(name + ".sum", () => Read(s => s.Sum), unit, description);
        Meter.CreateObservableGauge(name + ".min", () => Read(s => s.Min), unit, description);
        Meter.CreateObservableGauge(name + ".max", () => Read(s => s.Max), unit, description);
        return this;
    }

    /// <summary>A BPF histogram as the histogram <paramref name="name"/>, one explicit bucket per slot: a slot holds the
    /// integers [low, high), an OpenTelemetry bucket the values (previous bound, bound], so each bound is the slot's last
    /// integer, high − 1 (for log2 slots 0, 1, 3, 7…). The kernel keeps only per-slot counts, so each new event is
    /// recorded at its slot's lower end: bucket counts are exact, the sum is a lower bound. Recording costs one call per
    /// event since the last update.</summary>
    public BpfMetrics AddHistogram(string name, HistogramMap map, string? unit = null, string? description = null)
    {
        var scale = map.Scale;
        // Ascending (the log2 scale's last upper ends overflow a long: the bucket above the last bound takes the rest).
        var bounds = new List<long>();
        for (int slot = 0; slot < scale.SlotCount; slot++)
            if (scale.RangeOf(slot).High is long high && (bounds.Count == 0 || high - 1 > bounds[^1])) bounds.Add(high - 1);
        var histogram = Meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = bounds.ToArray() });
        var seen = new ulong[scale.SlotCount];
        lock (_gate)
            _updates.Add(() =>
            {
                var buckets = map.Read().Buckets;
                for (int slot = 0; slot < buckets.Count && slot < seen.Length; slot++)
                {
                    ulong now = buckets[slot].Count;
                    long value = scale.RangeOf(slot).Low ?? scale.Minimum - 1;
                    for (ulong n = seen[slot]; n < now; n++) histogram.Record(value);
                    seen[slot] = Math.Max(seen[slot], now);
                }
            });
        return this;
    }

    /// <summary>Records what the histograms' maps counted since the last update.</summary>
    public void Update()
    {
        lock (_gate)
            foreach (var update in _updates) update();
    }

    /// <summary>Updates the histograms every <paramref name="interval"/> until disposed.</summary>
    public BpfMetrics Start(TimeSpan interval)
    {
        _timer?.Dispose();
        _timer = new Timer(_ => Update(), null, interval, interval);
        return this;
    }

    /// <summary>Stops the timer and the meter.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        Meter.Dispose();
    }
}
