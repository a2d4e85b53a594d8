using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>What the array maps (plain and per-CPU) share: their managed elements and the operations a program uses on them.</summary>
public abstract class BpfArrayBase<TValue> where TValue : unmanaged
{
    private readonly TValue[] _values;

    /// <summary>An array of <paramref name="maxEntries"/> elements.</summary>
    private protected BpfArrayBase(int maxEntries)
    {
        MaxEntries = maxEntries;
        _values = new TValue[maxEntries];
    }

    /// <summary>The number of elements.</summary>
    public int MaxEntries { get; }

    /// <summary>A reference to element <paramref name="index"/>, or a null ref when out of range.</summary>
    public ref TValue GetValueRefOrNullRef(scoped in uint index) => ref index < (uint)_values.Length ? ref _values[index] : ref Unsafe.NullRef<TValue>();

    /// <summary>Copies out element <paramref name="index"/>; false when out of range.</summary>
    public bool TryGetValue(in uint index, out TValue value)
    {
        bool inRange = index < (uint)_values.Length;
        value = inRange ? _values[index] : default;
        return inRange;
    }

    /// <summary>Replaces element <paramref name="index"/>; false when out of range or with NoExist (elements always exist).</summary>
    public bool Update(in uint index, in TValue value, UpdateFlags flags = UpdateFlags.Any)
    {
        if (index >= (uint)_values.Length || flags == UpdateFlags.NoExist) return false;
        _values[index] = value;
        return true;
    }
}
