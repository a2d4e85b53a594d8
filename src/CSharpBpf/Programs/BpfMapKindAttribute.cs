using System;

namespace CSharpBpf;

/// <summary>The kernel map type (enum bpf_map_type) a map class stands for; the compiler reads it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BpfMapKindAttribute : Attribute
{
    /// <summary>Declares the kernel map type.</summary>
    public BpfMapKindAttribute(int mapType) => MapType = mapType;

    /// <summary>The kernel map type number.</summary>
    public int MapType { get; }
    /// <summary>Map flags the kernel needs for this type (e.g. BPF_F_NO_PREALLOC for LPM tries).</summary>
    public uint Flags { get; set; }
}
