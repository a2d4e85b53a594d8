using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>Uprobes on a native test binary, and kprobes (which load everywhere but attach only where the kernel has them).</summary>
public sealed class ProbeTests
{
    private static readonly Lazy<string> adder = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("csbpf-adder-").FullName;
        string path = Path.Combine(dir, "adder");
        ExternalTool.Run("clang", "-O1", "-o", path, Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "adder.c")).EnsureSuccess();
        return path;
    });

    [KernelFact]
    public void A_uprobe_and_a_uretprobe_see_the_arguments_and_results_of_add_in_a_test_binary()
    {
        using var probes = AdderProbes.Load();
        using var entry = probes.OnAdd.AttachUprobe(adder.Value, "add");
        using var exit = probes.OnAddReturn.AttachUprobe(adder.Value, "add", returnProbe: true);
        var run = ExternalTool.Run(adder.Value, "5");
        Assert.Equal(0, run.ExitCode);

        var calls = new List<AddCall>();
        while (probes.Calls.Poll(record => calls.Add(System.Runtime.InteropServices.MemoryMarshal.Read<AddCall>(record))) > 0) { }
        var entries = calls.Where(c => c.IsReturn == 0).ToList();
        var returns = calls.Where(c => c.IsReturn == 1).ToList();
        // main calls add(i, 1) for i = 1…5; each returns i + 1.
        Assert.Equal(new[] { (1, 1), (2, 1), (3, 1), (4, 1), (5, 1) }, entries.Select(c => (c.A, c.B)));
        Assert.Equal(new[] { 2, 3, 4, 5, 6 }, returns.Select(c => c.Result));
        Assert.Single(calls.Select(c => c.Pid).Distinct());
        Assert.NotEqual((uint)Environment.ProcessId, calls[0].Pid);
    }

    [KernelFact]
    public void Kprobe_programs_pass_the_verifier()
    {
        using var probes = KernelProbes.Load();
        Assert.Equal("kprobe/do_sys_openat2", probes.OnOpen.Section);
        Assert.Equal("kretprobe/do_sys_openat2", probes.OnOpenReturn.Section);
        Assert.False(probes.OnOpen.Descriptor.IsInvalid);
        Assert.False(probes.OnOpenReturn.Descriptor.IsInvalid);
        Assert.True(probes.OnOpen.InstructionCount > 10);
    }

    [KprobeFact]
    public void Kprobes_attach_and_count_opens_by_kernel_stack()
    {
        using var probes = KernelProbes.Load();
        using (var entry = probes.OnOpen.Attach())
        using (var exit = probes.OnOpenReturn.Attach())
        {
            for (int i = 0; i < 10; i++) File.ReadAllBytes("/proc/self/stat");
        }
        ulong calls = probes.CallsByStack.Entries().Aggregate(0UL, (sum, e) => sum + e.Value);
        Assert.True(calls >= 10, $"{calls} opens counted");
        long stackId = probes.CallsByStack.Entries().First().Key;
        Assert.True(probes.Stacks.TryGetValue((uint)stackId, out var stack));
        Assert.NotEqual(0UL, stack[0]);
        Assert.True(probes.Results[0] >= 0);
    }
}

/// <summary>A fact that needs kprobes: skipped, saying so, on kernels built without them (no kprobe PMU in
/// /sys/bus/event_source/devices and no kprobe_events in tracefs), as the one this project's CI runs on.</summary>
public sealed class KprobeFactAttribute : FactAttribute
{
    /// <summary>Why kprobes cannot attach here, or null.</summary>
    public static string? Reason =>
        Directory.Exists("/sys/bus/event_source/devices/kprobe") || File.Exists("/sys/kernel/tracing/kprobe_events") ? null
        : "this kernel has no kprobes (CONFIG_KPROBES is off: no kprobe PMU, no kprobe_events); kprobe programs still load, see Kprobe_programs_pass_the_verifier";

    /// <summary>Sets Skip when bpf(2) or kprobes are unavailable.</summary>
    public KprobeFactAttribute() => Skip = KernelAvailability.UnavailableReason ?? KernelMatrix.Note(Reason);
}

/// <summary>Where the tests that need a kernel feature run when this kernel lacks it.</summary>
public static class KernelMatrix
{
    /// <summary>A skip reason that also says where the test does run; null stays null.</summary>
    public static string? Note(string? reason) => reason == null ? null
        : reason + " — the kernel matrix (scripts/test-kernels.sh) runs this test on Linux 6.1 and 6.12, which have the feature";
}
