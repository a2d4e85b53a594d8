namespace CSharpBpf;

/// <summary>An array with one value per CPU (BPF_MAP_TYPE_PERCPU_ARRAY); a program sees its CPU's value. As plain .NET there is one CPU. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(6)]
public sealed class BpfPerCpuArray<TValue> : BpfArrayBase<TValue> where TValue : unmanaged
{
    /// <summary>An array of <paramref name="maxEntries"/> elements.</summary>
    public BpfPerCpuArray(int maxEntries) : base(maxEntries) { }
}
