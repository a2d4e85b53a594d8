using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>A longest-prefix-match trie (BPF_MAP_TYPE_LPM_TRIE), e.g. of IPv4 prefixes. A lookup finds the
/// entry with the longest prefix matching the key's data. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(11, Flags = 1)]
public sealed class BpfLpmTrie<TData, TValue> where TData : unmanaged where TValue : unmanaged
{
    private readonly List<(uint Prefix, byte[] Data, StrongBox<TValue> Value)> _entries = new();

    /// <summary>A trie of at most <paramref name="maxEntries"/> prefixes.</summary>
    public BpfLpmTrie(int maxEntries) => MaxEntries = maxEntries;

    /// <summary>The capacity.</summary>
    public int MaxEntries { get; }

    /// <summary>The number of prefixes (plain .NET only).</summary>
    public int Count => _entries.Count;

    private static int Bits => Unsafe.SizeOf<TData>() * 8;

    private static byte[] Masked(in LpmKey<TData> key)
    {
        var data = MemoryMarshal.AsBytes(new ReadOnlySpan<TData>(in key.Data)).ToArray();
        for (int bit = (int)Math.Min(key.PrefixLength, (uint)Bits); bit < Bits; bit++) data[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return data;
    }

    private static bool Matches(byte[] prefix, uint length, ReadOnlySpan<byte> data)
    {
        for (int bit = 0; bit < length; bit++)
        {
            int mask = 0x80 >> (bit % 8);
            if ((prefix[bit / 8] & mask) != (data[bit / 8] & mask)) return false;
        }
        return true;
    }

    private int IndexOfExact(in LpmKey<TData> key)
    {
        var data = Masked(key);
        uint prefix = key.PrefixLength;
        return _entries.FindIndex(e => e.Prefix == prefix && e.Data.AsSpan().SequenceEqual(data));
    }

    /// <summary>A reference to the value of the longest prefix matching the key's data within its prefix length, or a null ref.</summary>
    public ref TValue GetValueRefOrNullRef(scoped in LpmKey<TData> key)
    {
        var data = MemoryMarshal.AsBytes(new ReadOnlySpan<TData>(in key.Data));
        StrongBox<TValue>? best = null;
        uint bestLength = 0;
        foreach (var e in _entries)
        {
            if (e.Prefix > key.PrefixLength || (best != null && e.Prefix < bestLength)) continue;
            if (!Matches(e.Data, e.Prefix, data)) continue;
            best = e.Value;
            bestLength = e.Prefix;
        }
        if (best == null) return ref Unsafe.NullRef<TValue>();
        return ref best.Value;
    }

    /// <summary>Copies out the value of the longest matching prefix; false when none matches.</summary>
    public bool TryGetValue(in LpmKey<TData> key, out TValue value)
    {
        ref TValue found = ref GetValueRefOrNullRef(in key);
        bool hit = !Unsafe.IsNullRef(ref found);
        value = hit ? found : default;
        return hit;
    }

    /// <summary>Creates or replaces the value of exactly this prefix, as <paramref name="flags"/> allow.</summary>
    public bool Update(in LpmKey<TData> key, in TValue value, UpdateFlags flags = UpdateFlags.Any)
    {
        if (key.PrefixLength > Bits) return false;
        int index = IndexOfExact(key);
        if (index >= 0 && flags == UpdateFlags.NoExist) return false;
        if (index < 0 && flags == UpdateFlags.Exist) return false;
        if (index >= 0)
        {
            _entries[index].Value.Value = value;
            return true;
        }
        if (_entries.Count >= MaxEntries) return false;
        _entries.Add((key.PrefixLength, Masked(key), new StrongBox<TValue>(value)));
        return true;
    }

    /// <summary>Adds this prefix only if absent.</summary>
    public bool TryAdd(in LpmKey<TData> key, in TValue value) => Update(in key, in value, UpdateFlags.NoExist);

    /// <summary>Removes exactly this prefix; false when absent.</summary>
    public bool Remove(in LpmKey<TData> key)
    {
        int index = IndexOfExact(key);
        if (index < 0) return false;
        _entries.RemoveAt(index);
        return true;
    }
}
