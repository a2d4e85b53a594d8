namespace CSharpBpf;

/// <summary>A hash map (BPF_MAP_TYPE_HASH). Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(1)]
public sealed class BpfHashMap<TKey, TValue> : BpfHashMapBase<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    /// <summary>A map of at most <paramref name="maxEntries"/> entries.</summary>
    public BpfHashMap(int maxEntries) : base(maxEntries, evict: false) { }
}
