using System;

namespace CSharpBpf;

/// <summary>Where a header property lives in the packet: value = ((RawSize bytes at Offset, byte-swapped when NetworkOrder) &gt;&gt; Shift &amp; Mask) * Scale. The compiler lowers the property to that load.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class BpfFieldAttribute : Attribute
{
    /// <summary>Declares the field at <paramref name="offset"/>.</summary>
    public BpfFieldAttribute(int offset) => Offset = offset;

    /// <summary>Byte offset from the start of the header.</summary>
    public int Offset { get; }
    /// <summary>True when the wire bytes are big-endian and the property is in host order.</summary>
    public bool NetworkOrder { get; set; }
    /// <summary>Bytes loaded (0: the size of the property type).</summary>
    public int RawSize { get; set; }
    /// <summary>Right shift applied after loading.</summary>
    public int Shift { get; set; }
    /// <summary>Mask applied after the shift (0: none).</summary>
    public ulong Mask { get; set; }
    /// <summary>Multiplier applied last (0: 1).</summary>
    public int Scale { get; set; }
}
