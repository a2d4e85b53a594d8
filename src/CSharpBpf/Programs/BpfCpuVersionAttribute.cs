using System;

namespace CSharpBpf;

/// <summary>
/// The eBPF instruction set an assembly's objects may use, as clang's <c>-mcpu=v3</c>: 3 (the default; kernels 5.1 and
/// later: 32-bit jumps and ALU) or 4 (kernels 6.6 and later: sign-extending moves and loads, signed division, which
/// make some programs shorter). The build writes it from the project's <c>&lt;BpfCpuVersion&gt;</c> property;
/// <see cref="BpfObjectAttribute.CpuVersion"/> overrides it for one object.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class BpfCpuVersionAttribute : Attribute
{
    /// <summary>Targets instruction set <paramref name="version"/> (3 or 4).</summary>
    public BpfCpuVersionAttribute(int version) => Version = version;

    /// <summary>The instruction set version.</summary>
    public int Version { get; }
}
