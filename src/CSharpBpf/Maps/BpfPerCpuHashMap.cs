namespace CSharpBpf;

/// <summary>A hash map with one value per CPU (BPF_MAP_TYPE_PERCPU_HASH); a program sees its CPU's value. As plain .NET there is one CPU. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(5)]
public sealed class BpfPerCpuHashMap<TKey, TValue> : BpfHashMapBase<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    /// <summary>A map of at most <paramref name="maxEntries"/> entries.</summary>
    public BpfPerCpuHashMap(int maxEntries) : base(maxEntries, evict: false, updateInPlace: true) { }
}
