using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using CSharpBpf.Bytecode.Usdt;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

/// <summary>An object's USDT spec map and which of its entries the attached sites use: sites whose arguments are in the
/// same places share an entry (libbpf's usdt.c does the same), and an entry is free again when its last link detaches.</summary>
internal sealed class UsdtSpecTable
{
    private readonly BpfMap _specs;
    private readonly Dictionary<string, (int Index, int Users)> _entries = new();
    private readonly Stack<int> _free = new();
    private int _next;

    public UsdtSpecTable(BpfMap specs) => _specs = specs;

    /// <summary>The index of an entry holding <paramref name="spec"/>, written into the map when new.</summary>
    /// <exception cref="InvalidOperationException">Every entry is in use by another spec.</exception>
    public int Acquire(byte[] spec)
    {
        string content = Convert.ToHexString(spec);
        lock (_entries)
        {
            if (_entries.TryGetValue(content, out var entry))
            {
                _entries[content] = (entry.Index, entry.Users + 1);
                return entry.Index;
            }
            int index = _free.Count > 0 ? _free.Pop() : _next < UsdtSpecLayout.MaxSpecs ? _next++
                : throw new InvalidOperationException($"all {UsdtSpecLayout.MaxSpecs} USDT spec entries of this object are in use: detach USDT links first");
            Span<byte> key = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(key, index);
            BpfSyscall.MapUpdate(_specs.Descriptor, key, spec);
            _entries[content] = (index, 1);
            return index;
        }
    }

    /// <summary>Gives back one use of entry <paramref name="index"/>.</summary>
    public void Release(int index)
    {
        lock (_entries)
        {
            foreach (var (content, entry) in _entries)
            {
                if (entry.Index != index) continue;
                if (entry.Users > 1) _entries[content] = (index, entry.Users - 1);
                else
                {
                    _entries.Remove(content);
                    _free.Push(index);
                }
                return;
            }
        }
    }
}
