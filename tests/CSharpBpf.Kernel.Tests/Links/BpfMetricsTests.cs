using System.Collections.Generic;
using System.Diagnostics.Metrics;
using CSharpBpf.Loading;
using CSharpBpf.Metrics;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>BpfMetrics' counters and gauges read a kernel map's entries when a listener collects.</summary>
public sealed class BpfMetricsTests
{
    [KernelFact]
    public void Counters_and_gauges_report_each_entry_with_its_tags()
    {
        using var loaded = LinkFixtures.Load();
        var counters = new BpfMap<uint, ulong>(loaded.Map("counters"));
        var table = new BpfMap<uint, long>(loaded.Map("table"));
        counters[1] = 7;
        counters[3] = 9;
        table.Update(42, -5);
        using var metrics = new BpfMetrics("csbpf.test." + System.Guid.NewGuid().ToString("N"))
            .AddCounter("test.packets", counters, k => new[] { new KeyValuePair<string, object?>("slot", k) })
            .AddGauge("test.level", table, k => new[] { new KeyValuePair<string, object?>("key", k) });

        var seen = new List<(string Instrument, long Value, object? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Add((instrument.Name, value, tags.Length > 0 ? tags[0].Value : null)));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains(("test.packets", 7L, (object?)1u), seen);
        Assert.Contains(("test.packets", 9L, (object?)3u), seen);
        Assert.Contains(("test.packets", 0L, (object?)0u), seen); // an array has every slot
        Assert.Contains(("test.level", -5L, (object?)42u), seen);
    }
}
