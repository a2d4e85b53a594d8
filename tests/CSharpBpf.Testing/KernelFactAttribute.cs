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
}

/// <summary>A fact that needs bpf(2): skipped, with the reason, only where the kernel refuses bpf(2) to us.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when bpf(2) is unavailable.</summary>
    public KernelFactAttribute() => Skip = KernelAvailability.UnavailableReason;
}

/// <summary>A theory that needs bpf(2): skipped, with the reason, only where the kernel refuses bpf(2) to us.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when bpf(2) is unavailable.</summary>
    public KernelTheoryAttribute() => Skip = KernelAvailability.UnavailableReason;
}
