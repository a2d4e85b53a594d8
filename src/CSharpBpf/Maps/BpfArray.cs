namespace CSharpBpf;

/// <summary>An array map (BPF_MAP_TYPE_ARRAY): MaxEntries elements indexed from 0, all present and zero at first. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(2)]
public sealed class BpfArray<TValue> : BpfArrayBase<TValue> where TValue : unmanaged
{
    /// <summary>An array of <paramref name="maxEntries"/> elements.</summary>
    public BpfArray(int maxEntries) : base(maxEntries) { }
}
