using System;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>BTF-typed programs: tp_btf with typed task pointers, and a task iterator, on this kernel.</summary>
public sealed class BtfProgramTests
{
    [KernelFact]
    public void A_btf_tracepoint_sees_this_process_switched_out_and_in_through_typed_task_pointers()
    {
        var spec = BtfProbes.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        Assert.Equal("tp_btf/sched_switch", probes.OnSwitch.Section);
        using (probes.OnSwitch.Attach())
            for (int i = 0; i < 20; i++) System.Threading.Thread.Sleep(2); // each sleep switches this thread out and back in

        var c = probes.Counts[0];
        Assert.True(c.SwitchedOut >= 20, $"switched out {c.SwitchedOut} times");
        Assert.True(c.SwitchedIn >= 20, $"switched in {c.SwitchedIn} times");
        Assert.Equal(Environment.ProcessId, c.LastPrevPid); // ctx.Args.Prev.Value.Tgid
        Assert.Equal(1, c.CurrentWasPrev);                  // Bpf.GetCurrentTask, bpf_get_current_task_btf here
    }

    [KernelFact]
    public void A_task_iterator_walks_every_task_once()
    {
        var spec = BtfProbes.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        Assert.Empty(probes.CountTasks.RunIterator()); // the program writes to its map, not to the iterator's output
        var c = probes.Counts[0];
        int processes = Directory.GetDirectories("/proc").Count(d => int.TryParse(Path.GetFileName(d), out _));
        Assert.InRange(c.Tasks, processes - 20, processes + 20); // processes come and go while both count
        Assert.True(c.Threads >= c.Tasks);
        Assert.Equal(1, c.SawTarget);
        var e = Assert.Throws<InvalidOperationException>(() => probes.CountTasks.Attach());
        Assert.Contains("RunIterator()", e.Message);
    }
}
