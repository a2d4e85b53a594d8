using System;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/runqlat (tp_btf programs on the scheduler, task fields through CO-RE), run for real.</summary>
public sealed class RunQlatTests
{
    [KernelFact]
    public void It_histograms_the_run_queue_waits_of_a_process_and_detaches_on_ctrl_c()
    {
        using var tool = SampleProcess.Start("runqlat", "--pid", Environment.ProcessId.ToString());
        tool.WaitForLine(line => line.StartsWith("Tracing run queue latency of pid", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        Assert.Equal(3, ids.Count);
        for (int i = 0; i < 50; i++) System.Threading.Thread.Sleep(1); // each wakeup queues this thread

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        var lines = tool.Lines.ToList();
        int histogram = lines.LastIndexOf("@usecs:");
        Assert.True(histogram > 0, string.Join("\n", lines));
        var bars = lines.Skip(histogram + 1).TakeWhile(l => l.StartsWith('[')).ToList();
        long waits = bars.Sum(b => long.Parse(Regex.Match(b, @"\)? +(\d+) \|").Groups[1].Value));
        Assert.True(waits >= 50, $"{waits} waits counted:\n{string.Join("\n", bars)}");
    }
}
