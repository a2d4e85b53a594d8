using System;
using System.IO;
using System.Linq;
using CSharpBpf.Aggregation;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>In-kernel aggregation of this process's own syscall latencies, read and rendered like bpftrace.</summary>
public sealed class AggregationTests
{
    [KernelFact]
    public void A_histogram_of_this_process_syscall_latencies_renders_like_bpftrace()
    {
        var spec = SyscallLatency.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var latency = spec.Load();
        using (var enter = latency.OnEnter.Attach())
        using (var exit = latency.OnExit.Attach())
        {
            for (int i = 0; i < 200; i++) Native.getppid();
            for (int i = 0; i < 20; i++) File.ReadAllBytes("/proc/self/status");
        }

        var histogram = latency.Latency.Read();
        Assert.True(histogram.TotalCount >= 220, $"{histogram.TotalCount} syscalls recorded");
        string rendered = histogram.Render();
        var lines = rendered.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.Matches(@"^\[[0-9]+[KMG]?(, [0-9]+[KMG]?\))?\]? +[0-9]+ \|@* *\|$", line));
        Assert.All(lines, line => Assert.Equal(lines[0].Length, line.Length));
        Assert.Contains(lines, line => line.Contains(new string('@', 52))); // the fullest bucket fills the bar
        Assert.Equal(histogram.TotalCount, (ulong)lines.Sum(line => long.Parse(line[20..28])));

        var perSyscall = latency.PerSyscall.Read();
        Assert.True(perSyscall.TryGetValue(110, out var getppid), "getppid (110) has statistics");
        Assert.True(getppid.Count >= 200, $"{getppid.Count} getppid calls");
        Assert.True(getppid.Min > 0 && getppid.Min <= getppid.Max, getppid.ToString());
        Assert.InRange(getppid.Average, getppid.Min, getppid.Max);

        var bySyscall = latency.LatencyBySyscall.Read();
        Assert.True(bySyscall.TryGetValue(110, out var getppidLatency), "getppid has its own histogram");
        Assert.Equal((ulong)getppid.Count, getppidLatency.TotalCount); // the same exits, counted two ways
        Assert.Equal(bySyscall.Values.Aggregate(0UL, (sum, h) => sum + h.TotalCount), histogram.TotalCount);

        var numbers = latency.SyscallNumbers.Read();
        Assert.Equal(12, numbers.Buckets.Count); // below 0, ten buckets of 50, 500 and above
        var getppidBucket = numbers.Buckets.Single(b => b.Low == 100);
        Assert.True(getppidBucket.Count >= 200);
        Assert.Contains("[100, 150)", numbers.Render());
    }

    [Fact]
    public void Log2_and_linear_scales_put_values_in_bpftrace_buckets()
    {
        var log2 = HistogramScale.Log2;
        Assert.Equal(new[] { 0, 1, 2, 2, 3, 10, 11, 64 }, new long[] { 0, 1, 2, 3, 4, 1023, 1024, -1 }.Select(log2.SlotOf));
        Assert.Equal((1024L, (long?)2048), log2.RangeOf(11));
        var linear = HistogramScale.Linear(0, 100, 10);
        Assert.Equal(new[] { 0, 1, 1, 2, 10, 11, 11 }, new long[] { -5, 0, 9, 10, 99, 100, 1000 }.Select(linear.SlotOf));
        Assert.Throws<ArgumentException>(() => HistogramScale.Linear(0, 100, 30));
    }

    [Fact]
    public void Rendering_labels_powers_of_two_with_binary_suffixes()
    {
        var counts = new ulong[65];
        counts[1] = 1;
        counts[11] = 4;
        counts[21] = 2;
        string rendered = new Histogram(HistogramScale.Log2, counts).Render();
        var lines = rendered.TrimEnd('\n').Split('\n');
        Assert.Equal(21, lines.Length);
        Assert.StartsWith("[1] ", lines[0]);
        Assert.StartsWith("[1K, 2K) ", lines[10]);
        Assert.StartsWith("[1M, 2M) ", lines[20]);
        Assert.EndsWith("4 |" + new string('@', 52) + "|", lines[10]);
        Assert.EndsWith("2 |" + new string('@', 26) + new string(' ', 26) + "|", lines[20]);
        Assert.EndsWith("0 |" + new string(' ', 52) + "|", lines[1]);
    }

    [Fact]
    public void Recording_as_plain_dotnet_fills_the_same_slots()
    {
        var histogram = new BpfLog2Histogram();
        foreach (ulong value in new ulong[] { 0, 1, 5, 6, 7, 1 << 20 }) histogram.Record(value);
        var buckets = histogram.Snapshot().Buckets;
        Assert.Equal(1UL, buckets[0].Count);
        Assert.Equal(3UL, buckets[3].Count);
        Assert.Equal(1UL, buckets[21].Count);
        var statistics = new BpfStatistics<int>(2);
        statistics.Record(1, 5);
        statistics.Record(1, -3);
        statistics.Record(2, 7);
        statistics.Record(3, 9); // over capacity: dropped
        var keyed = new BpfKeyedHistogram<int>(4);
        keyed.Record(1, 3);
        keyed.Record(1, 100);
        keyed.Record(2, 0);
        var perKey = keyed.Snapshot();
        Assert.Equal(1UL, perKey[1].Buckets[2].Count);
        Assert.Equal(1UL, perKey[1].Buckets[7].Count);
        Assert.Equal(1UL, perKey[2].Buckets[0].Count);
        var snapshot = statistics.Snapshot();
        Assert.Equal(2, snapshot.Count);
        Assert.Equal((2L, 2L, -3L, 5L), (snapshot[1].Count, snapshot[1].Sum, snapshot[1].Min, snapshot[1].Max));
    }
}
