using System;

namespace CSharpBpf;

/// <summary>
/// Marks a <c>public static SeccompAction M(SeccompData data)</c> method of a [BpfObject] class as a seccomp policy. The
/// generator compiles it to a classic BPF filter for each of <see cref="Architectures"/>: the filter first checks
/// seccomp_data.arch (and, on x86-64, refuses x32 numbers), answering <see cref="SeccompAction.KillProcess"/> for any other
/// architecture, then runs the method with that architecture's syscall numbers. The skeleton's
/// <c>SeccompFilters.M</c> is the <see cref="SeccompPolicy"/> to install. A filter has no maps, calls or loops: cBPF runs
/// straight through, 32 bits at a time (64-bit compares are split into halves; 64-bit arithmetic is refused).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SeccompFilterAttribute : Attribute
{
    /// <summary>The architectures the filter serves; x86-64 and arm64 when not set.</summary>
    public SeccompArchitecture[] Architectures { get; set; } = { SeccompArchitecture.X86_64, SeccompArchitecture.Arm64 };
}
