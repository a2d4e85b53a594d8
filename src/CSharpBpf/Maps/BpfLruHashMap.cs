namespace CSharpBpf;

/// <summary>A hash map that evicts the least recently used entry when full (BPF_MAP_TYPE_LRU_HASH). Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(9)]
public sealed class BpfLruHashMap<TKey, TValue> : BpfHashMapBase<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    /// <summary>A map of at most <paramref name="maxEntries"/> entries.</summary>
    public BpfLruHashMap(int maxEntries) : base(maxEntries, evict: true) { }
}
