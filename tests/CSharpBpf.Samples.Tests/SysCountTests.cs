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

    [Fact]
    public void A_bad_duration_is_refused()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("syscount", "--duration", "soon");
        Assert.Equal(2, exitCode);
        Assert.Contains("--duration needs a positive number of seconds", stderr);
    }
}
