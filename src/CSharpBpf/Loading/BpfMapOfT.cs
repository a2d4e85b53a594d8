using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using CSharpBpf.Syscalls;
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

    /// <summary>Reads a value; false when the key is absent. Per-CPU maps have one value per CPU: use <see cref="TryGetPerCpu"/>.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        RefusePerCpu(nameof(TryGetPerCpu));
        value = default;
        return Map.TryLookup(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>Writes a value as <paramref name="flags"/> allow (Any, NoExist, Exist); a refusal throws, naming the cause.</summary>
    public void Update(TKey key, TValue value, UpdateFlags flags = UpdateFlags.Any)
    {
        RefusePerCpu(nameof(UpdatePerCpu));
        Map.Update(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), MemoryMarshal.AsBytes(new ReadOnlySpan<TValue>(in value)), (ulong)flags);
    }

    /// <summary>Adds a key that is not there yet; false when it already is.</summary>
    public bool TryAdd(TKey key, TValue value)
    {
        try
        {
            Update(key, value, UpdateFlags.NoExist);
            return true;
        }
        catch (Syscalls.BpfException e) when (e.Errno == 17) // EEXIST
        {
            return false;
        }
    }

    // The kernel writes one value per possible CPU, each 8-byte aligned.
    private static int PerCpuStride => (Unsafe.SizeOf<TValue>() + 7) & ~7;

    /// <summary>Reads the value of every CPU of a per-CPU map (index = CPU number); false when the key is absent.</summary>
    public bool TryGetPerCpu(TKey key, out TValue[] values)
    {
        var buffer = new byte[PerCpuStride * BpfMap.PossibleCpus];
        values = Array.Empty<TValue>();
        if (!Map.TryLookup(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), buffer)) return false;
        values = new TValue[BpfMap.PossibleCpus];
        for (int cpu = 0; cpu < values.Length; cpu++) values[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * PerCpuStride));
        return true;
    }

    /// <summary>Writes one value per CPU of a per-CPU map.</summary>
    public void UpdatePerCpu(TKey key, ReadOnlySpan<TValue> values, UpdateFlags flags = UpdateFlags.Any)
    {
        if (values.Length != BpfMap.PossibleCpus) throw new ArgumentException($"a per-CPU map needs {BpfMap.PossibleCpus} values (one per possible CPU), not {values.Length}", nameof(values));
        var buffer = new byte[PerCpuStride * values.Length];
        for (int cpu = 0; cpu < values.Length; cpu++) MemoryMarshal.Write(buffer.AsSpan(cpu * PerCpuStride), in values[cpu]);
        Map.Update(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), buffer, (ulong)flags);
    }

    /// <summary>Every key and value, read <paramref name="batchSize"/> at a time with BPF_MAP_LOOKUP_BATCH (one syscall per batch).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> LookupBatch(int batchSize = 256)
    {
        RefusePerCpu(nameof(TryGetPerCpu));
        var keys = new TKey[batchSize];
        var values = new TValue[batchSize];
        var cursor = new byte[Math.Max(8, Unsafe.SizeOf<TKey>())];
        var next = new byte[cursor.Length];
        bool first = true, more = true;
        while (more)
        {
            int count;
            (count, more) = Syscalls.BpfSyscall.MapLookupBatch(Map.Descriptor, cursor, next, MemoryMarshal.AsBytes(keys.AsSpan()), MemoryMarshal.AsBytes(values.AsSpan()), batchSize, first);
            first = false;
            for (int i = 0; i < count; i++) yield return new KeyValuePair<TKey, TValue>(keys[i], values[i]);
            next.CopyTo(cursor, 0);
        }
    }

    private void RefusePerCpu(string instead)
    {
        if (Map.IsPerCpu) throw new InvalidOperationException($"map '{Map.Name}' is per-CPU and holds one value per CPU: use {instead}");
    }

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
