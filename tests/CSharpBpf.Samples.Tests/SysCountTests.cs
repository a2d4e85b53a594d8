using System;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/syscount, run for real on one process.</summary>
public sealed class SysCountTests
{
    [KernelFact]
    public void It_counts_a_process_syscalls_and_prints_a_bpftrace_histogram_on_ctrl_c()
    {
        using var tool = SampleProcess.Start("syscount", "--pid", Environment.ProcessId.ToString(), "--top", "50");
        tool.WaitForLine(line => line.StartsWith("Tracing syscalls of pid", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        for (int i = 0; i < 50; i++) System.IO.File.ReadAllBytes("/proc/self/stat");

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        var lines = tool.Lines;
        string openat = lines.Single(l => l.StartsWith("openat ", StringComparison.Ordinal));
        var columns = openat.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(columns[1]) >= 50, openat);
        Assert.True(double.Parse(columns[4]) <= double.Parse(columns[3]) && double.Parse(columns[3]) <= double.Parse(columns[5]), "min ≤ avg ≤ max: " + openat);
        int histogram = lines.ToList().IndexOf("@latency_ns:");
        Assert.True(histogram > 0, "the histogram is printed");
        var bars = lines.Skip(histogram + 1).TakeWhile(l => l.StartsWith('[')).ToList();
        Assert.NotEmpty(bars);
        Assert.All(bars, bar => Assert.Matches(@"^\[\d+[KMG]?(, \d+[KMG]?\))?\]? +\d+ \|@* *\|$", bar));
    }

    [KernelFact]
    public void The_main_job_runs_for_its_duration_and_shows_the_machine_alive()
    {
        // README: dotnet run -c Release --project samples/syscount -- --duration 3
        var (exitCode, stdout, stderr) = SampleProcess.RunToEnd("syscount", "--duration", "2");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("Tracing syscalls... Ctrl+C to stop.", stdout);
        Assert.Matches(@"\n(read|write|openat|futex|epoll_wait|close|newfstatat|ioctl|clock_nanosleep|nanosleep|poll|ppoll|sched_yield|mmap|rt_sigprocmask) +\d+ ", stdout);
        Assert.Contains("@latency_ns:", stdout);
        Assert.Matches(@"\|@+ *\|", stdout);
    }

    /// <summary>Issue #15: --prometheus serves the kernel's counts and latency histogram (BpfMetrics through
    /// OpenTelemetry's Prometheus exporter), scraped here as Prometheus would.</summary>
    [KernelFact]
    public void Prometheus_scrapes_the_counts_and_the_latency_histogram()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var tool = SampleProcess.Start("syscount", "--prometheus", $"127.0.0.1:{port}");
        tool.WaitForLine(line => line.StartsWith("Tracing syscalls", StringComparison.Ordinal));
        for (int i = 0; i < 20; i++) System.IO.File.ReadAllBytes("/proc/self/stat");
        System.Threading.Thread.Sleep(2500); // the histogram is brought up to date every second
        using var http = new System.Net.Http.HttpClient();
        string metrics = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
        Assert.Equal(0, tool.Interrupt());

        Assert.Contains("# TYPE syscount_syscall_latency_count_total counter", metrics);
        Assert.Matches(@"syscount_syscall_latency_count_total\{[^}]*syscall=""openat""[^}]*\} [1-9]\d*", metrics);
        Assert.Contains("# TYPE syscount_syscall_latency_max_nanoseconds gauge", metrics);
        Assert.Contains("# TYPE syscount_latency_nanoseconds histogram", metrics);
        // log2 buckets as bpftrace's: bounds 0, 1, 3, 7, … (each slot's last integer), and events in them.
        foreach (var bound in new[] { "0", "1", "3", "7", "1023" }) Assert.Contains($"le=\"{bound}\"", metrics);
        var count = System.Text.RegularExpressions.Regex.Match(metrics, @"syscount_latency_nanoseconds_count\{[^}]*\} (\d+)");
        Assert.True(count.Success && long.Parse(count.Groups[1].Value) > 0, "the histogram holds events:\n" + metrics);
    }

    [Fact]
    public void A_bad_duration_is_refused()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("syscount", "--duration", "soon");
        Assert.Equal(2, exitCode);
        Assert.Contains("--duration needs a positive number of seconds", stderr);
    }
}
