using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>The managed implementation behind the hash maps: values live in boxes (the kernel's elements), so a ref
/// to one behaves as a map value pointer does in the kernel. Updating a present key installs a new element and
/// detaches the old one, as htab_map_update_elem does (kernel/bpf/hashtab.c): a ref taken before the update keeps
/// reading the old value, and the element detached by one update is the one the next update of a present key
/// reuses (the per-CPU spare element of a preallocated map; the LRU map takes a free node instead). Per-CPU maps copy
/// an update into the present element. The LRU variant evicts the least recently used key instead of failing when
/// full.</summary>
internal sealed class ManagedHashTable<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    private readonly Dictionary<TKey, StrongBox<TValue>> _entries = new();
    private readonly LinkedList<TKey> _recency = new();
    private readonly int _maxEntries;
    private readonly bool _evict;
    private readonly bool _updateInPlace;
    private StrongBox<TValue>? _spare;

    public ManagedHashTable(int maxEntries, bool evict, bool updateInPlace)
    {
        _maxEntries = maxEntries;
        _evict = evict;
        _updateInPlace = updateInPlace;
    }

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<TKey, TValue>> Entries => _entries.Select(e => new KeyValuePair<TKey, TValue>(e.Key, e.Value.Value));

    public ref TValue GetValueRefOrNullRef(scoped in TKey key)
    {
        if (!_entries.TryGetValue(key, out var box)) return ref Unsafe.NullRef<TValue>();
        Touch(key);
        return ref box.Value;
    }

    public bool Update(in TKey key, in TValue value, UpdateFlags flags)
    {
        bool exists = _entries.TryGetValue(key, out var box);
        if (exists && flags == UpdateFlags.NoExist) return false;
        if (!exists && flags == UpdateFlags.Exist) return false;
        if (exists && _updateInPlace)
        {
            box!.Value = value;
            return true;
        }
        if (exists)
        {
            var fresh = (_evict ? null : _spare) ?? new StrongBox<TValue>();
            fresh.Value = value;
            _spare = box;
            _entries[key] = fresh;
            Touch(key);
            return true;
        }
        if (_entries.Count >= _maxEntries)
        {
            if (!_evict) return false;
            var oldest = _recency.Last!.Value;
            _recency.RemoveLast();
            _entries.Remove(oldest);
        }
        _entries[key] = new StrongBox<TValue>(value);
        _recency.AddFirst(key);
        return true;
    }

    public bool Remove(in TKey key)
    {
        if (!_entries.Remove(key)) return false;
        _recency.Remove(key);
        return true;
    }

    private void Touch(TKey key)
    {
        if (!_evict) return;
        _recency.Remove(key);
        _recency.AddFirst(key);
    }
}
