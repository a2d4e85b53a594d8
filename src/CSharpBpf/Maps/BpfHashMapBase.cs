using System.Collections.Generic;

namespace CSharpBpf;

/// <summary>What the hash maps (plain, LRU, per-CPU) share: their managed table and the operations a program uses on them.</summary>
public abstract class BpfHashMapBase<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    private readonly ManagedHashTable<TKey, TValue> _table;

    /// <summary>A map of at most <paramref name="maxEntries"/> entries; <paramref name="evict"/> for LRU behaviour;
    /// <paramref name="updateInPlace"/> where the kernel copies an update into the present element (per-CPU maps).</summary>
    private protected BpfHashMapBase(int maxEntries, bool evict, bool updateInPlace = false)
    {
        MaxEntries = maxEntries;
        _table = new ManagedHashTable<TKey, TValue>(maxEntries, evict, updateInPlace);
    }

    /// <summary>The capacity.</summary>
    public int MaxEntries { get; }

    /// <summary>The number of entries (plain .NET only).</summary>
    public int Count => _table.Count;

    /// <summary>The entries (plain .NET only).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries => _table.Entries;

    /// <summary>A reference to the value of <paramref name="key"/>, or a null ref (test with Unsafe.IsNullRef) when absent.
    /// As in the kernel, the ref is to the element present now: a later <see cref="Update"/> of the same key installs a
    /// new element and the ref keeps reading the old one. The key is <c>scoped</c>: the ref points into the map, never
    /// into the key, so a helper may return it.</summary>
    public ref TValue GetValueRefOrNullRef(scoped in TKey key) => ref _table.GetValueRefOrNullRef(in key);

    /// <summary>Copies out the value of <paramref name="key"/>; false (and default) when absent.</summary>
    public bool TryGetValue(in TKey key, out TValue value)
    {
        ref TValue found = ref _table.GetValueRefOrNullRef(in key);
        value = System.Runtime.CompilerServices.Unsafe.IsNullRef(ref found) ? default : found;
        return !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref found);
    }

    /// <summary>Creates or replaces the value of <paramref name="key"/> as <paramref name="flags"/> allow; false when refused or full.</summary>
    public bool Update(in TKey key, in TValue value, UpdateFlags flags = UpdateFlags.Any) => _table.Update(in key, in value, flags);

    /// <summary>Adds <paramref name="key"/> only if absent.</summary>
    public bool TryAdd(in TKey key, in TValue value) => _table.Update(in key, in value, UpdateFlags.NoExist);

    /// <summary>Removes <paramref name="key"/>; false when absent.</summary>
    public bool Remove(in TKey key) => _table.Remove(in key);
}
