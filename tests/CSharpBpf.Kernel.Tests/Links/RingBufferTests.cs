using System.Collections.Generic;
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
