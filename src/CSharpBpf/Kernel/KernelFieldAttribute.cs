using System;

namespace CSharpBpf;

/// <summary>The kernel's name for a field of a <see cref="KernelTypeAttribute"/> struct (e.g. "real_parent"), or of an
/// enumerator of a kernel enum (e.g. "TASK_RUNNING"). A bitfield, a property, also gives its position:
/// <see cref="BitOffset"/> bits from the start of the struct, <see cref="Bits"/> wide.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class KernelFieldAttribute : Attribute
{
    /// <summary>Names the field.</summary>
    public KernelFieldAttribute(string name) => Name = name;

    /// <summary>The kernel's name.</summary>
    public string Name { get; }

    /// <summary>On a property: the byte offset of the member it reads (generated pointer members are properties over a
    /// private address field, so that no kernel struct's layout holds a generic instantiation).</summary>
    public int Offset { get; set; }

    /// <summary>A bitfield's offset in bits from the start of the struct.</summary>
    public int BitOffset { get; set; }

    /// <summary>A bitfield's width in bits (0: not a bitfield).</summary>
    public int Bits { get; set; }
}
