using System;
using CSharpBpf.Syscalls;
using Xunit;

namespace CSharpBpf.Testing;

/// <summary>Whether this machine lets the test process use bpf(2), probed once by creating a map.</summary>
public static class KernelAvailability
{
    private static readonly Lazy<string?> unavailableReason = new(() =>
    {
        try
        {
            using var probe = BpfSyscall.MapCreate(BpfMapType.Array, 4, 4, 1, name: "probe");
            return null;
        }
        catch (BpfException e) when (e.Errno is 1 or 38)
        {
            return $"bpf(2) is unavailable to this process: {e.Message}";
        }
    });

    /// <summary>Null when bpf(2) works; otherwise why not.</summary>
    public static string? UnavailableReason => unavailableReason.Value;

    /// <summary>Null when bpf(2) works and the kernel is at least <paramref name="since"/> (major.minor); otherwise why the
    /// test cannot run here, and where it does.</summary>
    public static string? UnavailableBefore(string? since, string? feature)
    {
        if (UnavailableReason is { } reason || since == null) return UnavailableReason;
        var needed = Version.Parse(since);
        return KernelVersion.Current >= needed ? null
            : $"Linux {KernelVersion.Current.ToString(2)} lacks {feature ?? "what this test needs"} (Linux {since} and later): the host's kernel and the matrix's newer guests run it";
    }
}

/// <summary>A fact that needs bpf(2): skipped, with the reason, only where the kernel refuses bpf(2) to us.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when bpf(2) is unavailable.</summary>
    public KernelFactAttribute() => Skip = KernelAvailability.UnavailableReason;

    /// <summary>The first kernel with what the test needs (major.minor): older kernels skip it, saying so.</summary>
    public string? Since { get => null; set => Skip = KernelAvailability.UnavailableBefore(value, Feature); }

    /// <summary>What the test needs, for the skip reason (set before <see cref="Since"/>).</summary>
    public string? Feature { get; set; }
}

/// <summary>A theory that needs bpf(2): skipped, with the reason, only where the kernel refuses bpf(2) to us.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when bpf(2) is unavailable.</summary>
    public KernelTheoryAttribute() => Skip = KernelAvailability.UnavailableReason;

    /// <summary>The first kernel with what the test needs (major.minor): older kernels skip it, saying so.</summary>
    public string? Since { get => null; set => Skip = KernelAvailability.UnavailableBefore(value, Feature); }

    /// <summary>What the test needs, for the skip reason (set before <see cref="Since"/>).</summary>
    public string? Feature { get; set; }
}
