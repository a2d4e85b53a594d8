using System.Runtime.InteropServices;

namespace CSharpBpf.Aggregation;

/// <summary>A keyed histogram's map key: the user's key and the power-of-two slot.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct HistogramKey<TKey> where TKey : unmanaged
{
    /// <summary>The key the program recorded under.</summary>
    public TKey Key;
    /// <summary>The slot (see <see cref="HistogramScale.Log2"/>).</summary>
    public uint Slot;
}
