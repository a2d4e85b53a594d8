using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CSharpBpf.RingBuffers;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>A ring buffer written by a program under BPF_PROG_TEST_RUN and read from .NET.</summary>
public sealed class RingBufferTests
{
    private const int Events = 100_000;

    [KernelFact]
    public void Hundred_thousand_events_arrive_in_order_with_none_lost()
    {
        using var loaded = LinkFixtures.Load();
        using var reader = new RingBufferReader(loaded.Map("events"));
        loaded.Program("xdp_sequence").TestRun(new byte[64], Events);
        var seen = new List<ulong>();
        while (reader.Poll(record => seen.Add(System.BitConverter.ToUInt64(record))) > 0) { }
        Assert.Equal(Events, seen.Count);
        for (int i = 0; i < seen.Count; i++) Assert.Equal((ulong)i, seen[i]);
    }

    [KernelFact]
    public async Task ReadAllAsync_yields_typed_records_as_they_come()
    {
        using var loaded = LinkFixtures.Load();
        using var reader = new RingBufferReader(loaded.Map("events"));
        using var cancel = new CancellationTokenSource(System.TimeSpan.FromSeconds(30));
        var producer = Task.Run(() => loaded.Program("xdp_sequence").TestRun(new byte[64], 1000));
        ulong expected = 0;
        await foreach (var value in reader.ReadAllAsync<ulong>(cancel.Token))
        {
            Assert.Equal(expected, value);
            if (++expected == 1000) break;
        }
        await producer;
        Assert.Equal(1000ul, expected);
    }
}

/// <summary>A perf event array written with bpf_perf_event_output and read from .NET.</summary>
public sealed class PerfBufferTests
{
    [KernelFact]
    public void Every_sample_arrives_once_with_none_lost()
    {
        using var loaded = LinkFixtures.Load();
        using var reader = new PerfBufferReader(loaded.Map("perf_events"), pagesPerCpu: 64);
        loaded.Program("xdp_perf").TestRun(new byte[64], 5000);
        var seen = new List<ulong>();
        while (reader.Poll(record => seen.Add(System.BitConverter.ToUInt64(record))) > 0) { }
        Assert.Equal(0, reader.Lost);
        // One buffer per CPU: a test run the scheduler moves between CPUs splits the sequence across buffers, so
        // only the set of samples is certain, not their order across CPUs.
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (ulong)i), seen.OrderBy(v => v));
    }

    [KernelFact]
    public void A_full_ring_counts_what_it_lost()
    {
        using var loaded = LinkFixtures.Load();
        using var reader = new PerfBufferReader(loaded.Map("perf_events"), pagesPerCpu: 1);
        var program = loaded.Program("xdp_perf");
        // Every run on one CPU, so the loss is reported by the next sample: the kernel writes it to the buffer that overflowed.
        using var pin = new CpuPin();
        program.TestRun(new byte[64], 2000); // 2000 samples of 24 bytes overflow one page
        int delivered = 0;
        while (reader.Poll(_ => delivered++) > 0) { }
        program.TestRun(new byte[64], 1);
        while (reader.Poll(_ => delivered++) > 0) { }
        Assert.True(reader.Lost > 0, "a one-page ring cannot hold 2000 samples");
        Assert.Equal(2001, delivered + reader.Lost);
    }
}
