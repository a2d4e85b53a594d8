using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Loading;

/// <summary>Typed access to a map from .NET: keys and values are unmanaged structs laid out as the program sees them.</summary>
public sealed class BpfMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    /// <summary>Wraps <paramref name="map"/>; its key and value sizes must match the types.</summary>
    public BpfMap(BpfMap map)
    {
        if (map.KeySize != Unsafe.SizeOf<TKey>() || map.ValueSize != Unsafe.SizeOf<TValue>())
            throw new ArgumentException($"map '{map.Name}' has {map.KeySize}-byte keys and {map.ValueSize}-byte values, not {typeof(TKey).Name} ({Unsafe.SizeOf<TKey>()}) and {typeof(TValue).Name} ({Unsafe.SizeOf<TValue>()})");
        Map = map;
    }

    /// <summary>The untyped map.</summary>
    public BpfMap Map { get; }

    /// <summary>Reads or writes a value; reading an absent key throws <see cref="KeyNotFoundException"/>.</summary>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"map '{Map.Name}' has no key {key}");
        set => Update(key, value);
    }

    /// <summary>Reads a value; false when the key is absent.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        value = default;
        return Map.TryLookup(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>Writes a value (flags: 0 any, 1 only new, 2 only existing).</summary>
    public void Update(TKey key, TValue value, ulong flags = 0) =>
        Map.Update(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), MemoryMarshal.AsBytes(new ReadOnlySpan<TValue>(in value)), flags);

    /// <summary>Deletes a key; false when absent.</summary>
    public bool Remove(TKey key) => Map.Delete(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)));

    /// <summary>Every key and its value.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries()
    {
        foreach (var raw in Map.Keys())
        {
            var key = MemoryMarshal.Read<TKey>(raw);
            if (TryGetValue(key, out var value)) yield return new KeyValuePair<TKey, TValue>(key, value);
        }
    }
}
