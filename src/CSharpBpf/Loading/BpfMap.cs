using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

/// <summary>A map in the kernel, with byte-level access; <see cref="BpfMap{TKey, TValue}"/> gives typed access.</summary>
public sealed class BpfMap : IDisposable
{
    private BpfMap(string name, BpfMapType type, int keySize, int valueSize, int maxEntries, BpfFileDescriptor descriptor)
    {
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Descriptor = descriptor;
    }

    internal static BpfMap Create(string name, BpfMapType type, int keySize, int valueSize, int maxEntries, uint flags, BpfFileDescriptor? btf = null, uint keyType = 0, uint valueType = 0)
    {
        BpfFileDescriptor fd;
        try
        {
            fd = BpfSyscall.MapCreate(type, (uint)keySize, (uint)valueSize, (uint)maxEntries, flags, name, btf, keyType, valueType);
        }
        catch (BpfException e) when (btf != null && e.Errno is 524 or 95)
        {
            // Some map types (perf event arrays, program arrays) take no BTF key/value types: create them without, as libbpf does.
            fd = BpfSyscall.MapCreate(type, (uint)keySize, (uint)valueSize, (uint)maxEntries, flags, name);
        }
        return new(name, type, keySize, valueSize, maxEntries, fd);
    }

    /// <summary>Opens a map pinned in bpffs.</summary>
    public static BpfMap OpenPinned(string path) => FromDescriptor(BpfSyscall.ObjGet(path));

    /// <summary>Opens a map by its kernel id.</summary>
    public static BpfMap Open(uint id) => FromDescriptor(KernelObjectInfo.OpenMap(id));

    private static BpfMap FromDescriptor(BpfFileDescriptor fd)
    {
        var info = KernelObjectInfo.Map(fd);
        return new BpfMap(info.Name, info.Type, info.KeySize, info.ValueSize, info.MaxEntries, fd);
    }

    /// <summary>True for maps holding one value per CPU.</summary>
    public bool IsPerCpu => Type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray;

    /// <summary>The number of possible CPUs, which per-CPU maps hold values for.</summary>
    public static int PossibleCpus { get; } = ReadPossibleCpus();

    private static int ReadPossibleCpus()
    {
        // "0-3" or "0,2-5": the highest CPU number plus one.
        string text = System.IO.File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
        return text.Split(',').Select(part => int.Parse(part.Split('-')[^1])).Max() + 1;
    }

    /// <summary>Pins the map in bpffs, where bpftool and other processes can open it.</summary>
    public void Pin(string path) => BpfSyscall.ObjPin(Descriptor, path);

    /// <summary>The map's name in the object.</summary>
    public string Name { get; }
    /// <summary>The kernel map type.</summary>
    public BpfMapType Type { get; }
    /// <summary>Key size in bytes.</summary>
    public int KeySize { get; }
    /// <summary>Value size in bytes (per CPU, for per-CPU maps).</summary>
    public int ValueSize { get; }
    /// <summary>Capacity.</summary>
    public int MaxEntries { get; }
    /// <summary>Its file descriptor.</summary>
    public BpfFileDescriptor Descriptor { get; }

    /// <summary>Reads the value of <paramref name="key"/>; false when absent.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value) => BpfSyscall.MapLookup(Descriptor, key, value);

    /// <summary>Writes a value (flags: 0 any, 1 only new, 2 only existing).</summary>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0) => BpfSyscall.MapUpdate(Descriptor, key, value, flags);

    /// <summary>Deletes a key; false when absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key) => BpfSyscall.MapDelete(Descriptor, key);

    /// <summary>Every key, by BPF_MAP_GET_NEXT_KEY.</summary>
    public IEnumerable<byte[]> Keys()
    {
        byte[] key = Array.Empty<byte>();
        while (true)
        {
            var next = new byte[KeySize];
            if (!BpfSyscall.MapGetNextKey(Descriptor, key, next)) yield break;
            yield return next;
            key = next;
        }
    }

    /// <summary>Closes the descriptor.</summary>
    public void Dispose() => Descriptor.Dispose();
}
