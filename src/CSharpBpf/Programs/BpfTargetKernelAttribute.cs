using System;

namespace CSharpBpf;

/// <summary>
/// The oldest Linux release an assembly's objects must load on, such as <c>"6.1"</c>: the compiler refuses (BPF0036), at the
/// line, what that kernel lacks — cpu v4 instructions (6.6), helpers such as the ring buffer's (5.8), open-coded
/// iterators behind <c>Bpf.Range</c> (6.4), program kinds such as tcx (6.6) and map types. The build writes it from the
/// project's <c>&lt;BpfTargetKernel&gt;</c> property; <see cref="BpfObjectAttribute.TargetKernel"/> overrides it for one object.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class BpfTargetKernelAttribute : Attribute
{
    /// <summary>Targets Linux <paramref name="release"/> (major.minor, e.g. "6.1").</summary>
    public BpfTargetKernelAttribute(string release) => Release = release;

    /// <summary>The kernel release, major.minor.</summary>
    public string Release { get; }
}
