using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CSharpBpf.Vm;

/// <summary>A helper function as the VM calls it: arguments r1–r5, the run's memory (every access
/// bounds-checked), and the calling instruction's slot for error messages; the result goes to r0.</summary>
public delegate ulong BpfHelper(in HelperArguments arguments, VmMemory memory, int slot);

/// <summary>r1–r5 at a helper call.</summary>
public readonly record struct HelperArguments(ulong R1, ulong R2, ulong R3, ulong R4, ulong R5);

/// <summary>Helper ids to implementations. Later layers register map, ring buffer and printk helpers.</summary>
public sealed class HelperRegistry
{
    private readonly Dictionary<int, (string Name, BpfHelper Function)> helpers = new();

    /// <summary>Registers (or replaces) helper <paramref name="id"/>.</summary>
    public HelperRegistry Register(int id, string name, BpfHelper function)
    {
        helpers[id] = (name, function);
        return this;
    }

    /// <summary>Looks a helper up.</summary>
    public bool TryGet(int id, out string name, out BpfHelper function)
    {
        if (helpers.TryGetValue(id, out var entry))
        {
            (name, function) = entry;
            return true;
        }
        name = "";
        function = null!;
        return false;
    }

    /// <summary>The kernel helpers that need no maps or context, under the kernel's ids
    /// (include/uapi/linux/bpf.h): ktime_get_ns (5), get_prandom_u32 (7), get_smp_processor_id (8),
    /// ktime_get_boot_ns (125).</summary>
    public static HelperRegistry CreateKernelCompatible()
    {
        var random = new Random();
        return new HelperRegistry()
            .Register(5, "bpf_ktime_get_ns", (in HelperArguments _, VmMemory _, int _) => MonotonicNanoseconds())
            .Register(7, "bpf_get_prandom_u32", (in HelperArguments _, VmMemory _, int _) => (uint)random.Next())
            .Register(8, "bpf_get_smp_processor_id", (in HelperArguments _, VmMemory _, int _) => 0)
            .Register(125, "bpf_ktime_get_boot_ns", (in HelperArguments _, VmMemory _, int _) => MonotonicNanoseconds());
    }

    private static ulong MonotonicNanoseconds() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
}
