using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CSharpBpf.Vm;

/// <summary>A helper function as the VM calls it: arguments r1–r5, the run's memory (every access
/// bounds-checked), and the calling instruction's slot for error messages; the result goes to r0.</summary>
public delegate ulong BpfHelper(in HelperArguments arguments, VmMemory memory, int slot);

/// <summary>r1–r5 at a helper call.</summary>
public readonly record struct HelperArguments(ulong R1, ulong R2, ulong R3, ulong R4, ulong R5);

/// <summary>Helper ids to implementations, and kernel functions (kfuncs) by name. Later layers register map, ring buffer and
/// printk helpers.</summary>
public sealed class HelperRegistry
{
    private readonly Dictionary<int, (string Name, BpfHelper Function)> helpers = new();
    private readonly List<(string Name, BpfHelper Function)> kernelFunctions = new();

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

    /// <summary>Registers (or replaces) kernel function <paramref name="name"/>.</summary>
    public HelperRegistry RegisterKernelFunction(string name, BpfHelper function)
    {
        int existing = kernelFunctions.FindIndex(k => k.Name == name);
        if (existing >= 0) kernelFunctions[existing] = (name, function);
        else kernelFunctions.Add((name, function));
        return this;
    }

    /// <summary>The id a call of kernel function <paramref name="name"/> carries in the VM (the kernel's would be its BTF id),
    /// or null when it is not registered.</summary>
    public int? KernelFunctionId(string name)
    {
        int index = kernelFunctions.FindIndex(k => k.Name == name);
        return index < 0 ? null : index + 1;
    }

    /// <summary>Looks a kernel function up by the id <see cref="KernelFunctionId"/> gave.</summary>
    public bool TryGetKernelFunction(int id, out string name, out BpfHelper function)
    {
        if (id >= 1 && id <= kernelFunctions.Count)
        {
            (name, function) = kernelFunctions[id - 1];
            return true;
        }
        name = "";
        function = null!;
        return false;
    }

    /// <summary>The kernel helpers that need no maps or context, under the kernel's ids
    /// (include/uapi/linux/bpf.h): ktime_get_ns (5), get_prandom_u32 (7), get_smp_processor_id (8),
    /// ktime_get_boot_ns (125), xdp_get_buff_len (188, over an xdp_md context); and the numeric iterator's kernel functions bpf_iter_num_new, _next and _destroy.</summary>
    public static HelperRegistry CreateKernelCompatible()
    {
        var random = new Random();
        return new HelperRegistry()
            .Register(5, "bpf_ktime_get_ns", (in HelperArguments _, VmMemory _, int _) => MonotonicNanoseconds())
            .Register(7, "bpf_get_prandom_u32", (in HelperArguments _, VmMemory _, int _) => (uint)random.Next())
            .Register(8, "bpf_get_smp_processor_id", (in HelperArguments _, VmMemory _, int _) => 0)
            .Register(125, "bpf_ktime_get_boot_ns", (in HelperArguments _, VmMemory _, int _) => MonotonicNanoseconds())
            // XDP only: the packet's length, data_end - data of the xdp_md R1 points to (one buffer: no fragments here).
            .Register(188, "bpf_xdp_get_buff_len", (in HelperArguments a, VmMemory memory, int slot) => memory.Load(a.R1 + 4, 4, slot) - memory.Load(a.R1, 4, slot))
            .RegisterKernelFunction("bpf_iter_num_new", IterNumNew)
            .RegisterKernelFunction("bpf_iter_num_next", IterNumNext)
            .RegisterKernelFunction("bpf_iter_num_destroy", (in HelperArguments a, VmMemory memory, int slot) => { memory.Store(a.R1, 8, 0, slot); return 0; });
    }

    // The iterator's 8 bytes are struct bpf_iter_num_kern { int cur; int end; } (kernel/bpf/bpf_iter.c).
    private const int MaxLoops = 1 << 23; // BPF_MAX_LOOPS

    private static ulong IterNumNew(in HelperArguments a, VmMemory memory, int slot)
    {
        int start = (int)a.R2, end = (int)a.R3;
        memory.Store(a.R1, 8, 0, slot);
        if (start > end) return unchecked((ulong)-22L); // -EINVAL
        if ((long)end - start > MaxLoops) return unchecked((ulong)-7L); // -E2BIG
        memory.Store(a.R1, 4, unchecked((uint)(start - 1)), slot);
        memory.Store(a.R1 + 4, 4, unchecked((uint)end), slot);
        return 0;
    }

    private static ulong IterNumNext(in HelperArguments a, VmMemory memory, int slot)
    {
        int current = (int)memory.Load(a.R1, 4, slot), end = (int)memory.Load(a.R1 + 4, 4, slot);
        if ((long)current + 1 >= end)
        {
            memory.Store(a.R1, 8, 0, slot);
            return 0;
        }
        memory.Store(a.R1, 4, unchecked((uint)(current + 1)), slot);
        return a.R1;
    }

    private static ulong MonotonicNanoseconds() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
}
