namespace CSharpBpf.Logging;

/// <summary>One hole of a BpfLog message: how to read it and how many bytes it takes in the record (8 for numbers; a
/// text's size, which the record rounds up to 8).</summary>
public readonly record struct BpfLogValue(BpfLogValueKind Kind, int Size = 8)
{
    /// <summary>The bytes the value's slot takes in a record.</summary>
    public int SlotSize => (Size + 7) / 8 * 8;
}
