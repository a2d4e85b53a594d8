using System;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>[Fentry], [Fexit] and [Lsm] programs: they run where the kernel can attach them, and where it cannot, loading
/// says what the kernel lacks — which is also why their running tests skip on this project's CI kernel.</summary>
public sealed class TrampolineTests
{
    [TrampolineFact]
    public void Fentry_and_fexit_count_this_process_opens_and_failed_opens()
    {
        var spec = TrampolineProbes.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        using (probes.OnOpen.Attach())
        using (probes.OnOpenReturn.Attach())
        {
            File.ReadAllBytes("/proc/self/stat");
            Assert.Throws<FileNotFoundException>(() => File.ReadAllBytes("/csbpf-no-such-file"));
        }
        Assert.True(probes.Counts[0] >= 2, $"{probes.Counts[0]} opens");
        Assert.True(probes.Counts[1] >= 1, $"{probes.Counts[1]} failed opens");
    }

    [LsmFact]
    public void An_lsm_program_denies_this_process_opens_while_attached()
    {
        var spec = LsmProbes.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        using (probes.DenyOpen.Attach())
            Assert.Throws<UnauthorizedAccessException>(() => File.ReadAllBytes("/proc/self/stat"));
        Assert.NotEmpty(File.ReadAllBytes("/proc/self/stat"));
    }

    [LsmFact]
    public void An_lsm_program_counts_the_opens_of_a_process_the_test_starts_and_lets_them_through()
    {
        // cat under a name of its own reads two files, then three: its opens are counted, the second run's at least one
        // more (the loader and the locale open some 35 files besides; measured: 38, then 40).
        string dir = Directory.CreateTempSubdirectory("csbpf-lsm-").FullName;
        string reader = Path.Combine(dir, "csbpf-lsm-cat");
        File.Copy("/usr/bin/cat", reader); // with its mode: executable
        var files = new[] { "a", "b", "c" }.Select(n => Path.Combine(dir, n)).ToArray();
        foreach (string f in files) File.WriteAllText(f, Path.GetFileName(f));

        var spec = LsmOpenCounter.Open();
        spec.Target = Comm.From("csbpf-lsm-cat");
        using var counter = spec.Load();
        long first, second, after;
        using (counter.CountOpen.Attach())
        {
            Assert.Equal((0, "ab"), Cat(files[..2]));
            first = counter.Opens[0];
            Assert.Equal((0, "abc"), Cat(files));
            second = counter.Opens[0] - first;
            File.ReadAllBytes(files[0]); // this process is not the target
            after = counter.Opens[0] - first;
        }
        Assert.True(first >= 2, $"{first} opens counted");
        Assert.True(second > first, $"three files: {second} opens, two files: {first}");
        Assert.Equal(second, after);

        (int, string) Cat(string[] paths)
        {
            var run = ExternalTool.Run(reader, paths);
            return (run.ExitCode, run.Stdout);
        }
    }

    [KernelFact]
    public void Where_the_kernel_cannot_attach_them_loading_says_what_it_needs()
    {
        if (TrampolineFactAttribute.Reason is string trampolines)
        {
            Assert.Contains("fentry/do_sys_openat2 program 'OnOpen'", trampolines);
            Assert.Contains("it needs BPF trampolines (CONFIG_FUNCTION_TRACER", trampolines);
        }
        else
        {
            using var probes = TrampolineProbes.Load();
            Assert.False(probes.OnOpen.Descriptor.IsInvalid);
        }
        if (LsmFactAttribute.Reason is string lsm) Assert.Contains("it needs BPF LSM (CONFIG_BPF_LSM", lsm);
        else Assert.Contains("bpf", File.ReadAllText("/sys/kernel/security/lsm"));
    }
}

/// <summary>A fact that needs BPF trampolines (fentry/fexit): skipped, with the loader's reason, where the kernel refuses them.</summary>
public sealed class TrampolineFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Refusal = new(() => Refused(() => TrampolineProbes.Load().Dispose()));

    /// <summary>Why fentry programs cannot load here, or null.</summary>
    public static string? Reason => Refusal.Value;

    /// <summary>Sets Skip when bpf(2) or trampolines are unavailable.</summary>
    public TrampolineFactAttribute() => Skip = KernelAvailability.UnavailableReason ?? KernelMatrix.Note(Reason);

    internal static string? Refused(Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }
}

/// <summary>A fact that needs BPF LSM: skipped, with the loader's reason, where the kernel refuses LSM programs.</summary>
public sealed class LsmFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Refusal = new(() => TrampolineFactAttribute.Refused(() => LsmProbes.Load().Dispose()));

    /// <summary>Why LSM programs cannot load here, or null.</summary>
    public static string? Reason => Refusal.Value;

    /// <summary>Sets Skip when bpf(2) or BPF LSM are unavailable.</summary>
    public LsmFactAttribute() => Skip = KernelAvailability.UnavailableReason ?? KernelMatrix.Note(Reason);
}

/// <summary>A fact that needs both kprobes and BPF trampolines: skipped, with the first reason, where either is missing.</summary>
public sealed class KprobeAndTrampolineFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when bpf(2), kprobes or trampolines are unavailable.</summary>
    public KprobeAndTrampolineFactAttribute() =>
        Skip = KernelAvailability.UnavailableReason ?? KernelMatrix.Note(KprobeFactAttribute.Reason ?? TrampolineFactAttribute.Reason);
}
