using System;

namespace CSharpBpf;

/// <summary>Marks a static partial class as one eBPF object: its program methods, map fields and static fields become one ELF object, compiled at build time.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BpfObjectAttribute : Attribute
{
    /// <summary>The license the kernel sees; GPL-only helpers (such as Bpf.Printk) need a GPL-compatible one.</summary>
    public string License { get; set; } = "GPL";

    /// <summary>The machine the object's kprobes and uprobes run on, which fixes the <see cref="PtRegs"/> layout.</summary>
    public BpfArchitecture Architecture { get; set; } = BpfArchitecture.X64;

    /// <summary>The eBPF instruction set this object may use (3 or 4; 0, the default, takes the assembly's
    /// <see cref="BpfCpuVersionAttribute"/>, else 3). See <see cref="BpfCpuVersionAttribute"/>.</summary>
    public int CpuVersion { get; set; }

    /// <summary>The oldest Linux release this object must load on (e.g. "6.1"; null, the default, takes the assembly's
    /// <see cref="BpfTargetKernelAttribute"/>, else no limit). See <see cref="BpfTargetKernelAttribute"/>.</summary>
    public string? TargetKernel { get; set; }
}
