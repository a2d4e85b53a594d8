using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;

namespace CSharpBpf.Vm;

/// <summary>
/// The address space of one run: every load and store of the program, and of helpers on its
/// behalf, goes through <see cref="Resolve"/> — the single bounds check the VM's safety rests on.
/// </summary>
public sealed class VmMemory
{
    /// <summary>Where the input memory (r1) starts.</summary>
    public const ulong InputBase = 0x0000_0001_0000_0000;
    /// <summary>Where the first stack frame starts; each deeper frame is <see cref="FrameStride"/> higher.</summary>
    public const ulong StackBase = 0x0000_7f00_0000_0000;
    /// <summary>Distance between stack frames: a gap so that running off one frame never lands in the next.</summary>
    public const ulong FrameStride = 0x1_0000;
    /// <summary>Where regions added by helpers and later layers (map values, contexts) start.</summary>
    public const ulong ExtraBase = 0x0000_2000_0000_0000;

    private readonly List<MemoryRegion> regions = new();
    private MemoryRegion? lastHit;
    private ulong nextExtra = ExtraBase;

    /// <summary>The regions the program may touch.</summary>
    public IReadOnlyList<MemoryRegion> Regions => regions;

    /// <summary>Adds a region.</summary>
    public void Add(MemoryRegion region) => regions.Add(region);

    /// <summary>Removes a region (a returning call's stack frame).</summary>
    public void Remove(MemoryRegion region)
    {
        regions.Remove(region);
        if (lastHit == region) lastHit = null;
    }

    /// <summary>Maps <paramref name="data"/> at a fresh synthetic address and returns that address.</summary>
    public ulong Map(string name, byte[] data, bool writable = true)
    {
        ulong address = nextExtra;
        // Page-align and leave a gap so an overrun of one mapping is never a hit in the next.
        nextExtra += ((ulong)data.Length + 0x1fff) & ~0xfffUL;
        Add(new MemoryRegion(name, address, data, writable));
        return address;
    }

    /// <summary>The bounds check: the region holding all of [address, address + size), or a
    /// <see cref="BpfVmException"/> naming the instruction, the address and the size.</summary>
    public MemoryRegion Resolve(ulong address, int size, bool write, int slot)
    {
        var region = lastHit;
        if (region == null || !region.Contains(address, size))
        {
            region = null;
            foreach (var r in regions)
                if (r.Contains(address, size)) { region = r; break; }
            if (region == null)
                throw new BpfVmException(slot, $"out-of-bounds {(write ? "store" : "load")} of {size} bytes at 0x{address.ToString("x", CultureInfo.InvariantCulture)}{Nearest(address)}");
            lastHit = region;
        }
        if (write && !region.Writable)
            throw new BpfVmException(slot, $"store of {size} bytes at 0x{address:x} into read-only {region.Name}");
        return region;
    }

    /// <summary>Loads a little-endian value of 1, 2, 4 or 8 bytes, zero-extended.</summary>
    public ulong Load(ulong address, int size, int slot)
    {
        var region = Resolve(address, size, write: false, slot);
        var bytes = region.Data.AsSpan((int)(address - region.BaseAddress), size);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
    }

    /// <summary>Stores the low <paramref name="size"/> bytes of <paramref name="value"/>, little-endian.</summary>
    public void Store(ulong address, int size, ulong value, int slot)
    {
        var region = Resolve(address, size, write: true, slot);
        var bytes = region.Data.AsSpan((int)(address - region.BaseAddress), size);
        switch (size)
        {
            case 1: bytes[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(bytes, value); break;
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes out of program memory (for helpers).</summary>
    public byte[] Read(ulong address, int length, int slot)
    {
        if (length == 0) return System.Array.Empty<byte>();
        var region = Resolve(address, length, write: false, slot);
        return region.Data.AsSpan((int)(address - region.BaseAddress), length).ToArray();
    }

    /// <summary>Copies bytes into program memory (for helpers).</summary>
    public void Write(ulong address, System.ReadOnlySpan<byte> bytes, int slot)
    {
        if (bytes.Length == 0) return;
        var region = Resolve(address, bytes.Length, write: true, slot);
        bytes.CopyTo(region.Data.AsSpan((int)(address - region.BaseAddress)));
    }

    private string Nearest(ulong address)
    {
        foreach (var r in regions)
            if (address >= r.BaseAddress - 4096 && address < r.EndAddress + 4096)
                return address < r.BaseAddress
                    ? $" ({r.BaseAddress - address} bytes below {r.Name} [0x{r.BaseAddress:x}, 0x{r.EndAddress:x}))"
                    : $" (outside {r.Name} [0x{r.BaseAddress:x}, 0x{r.EndAddress:x}))";
        return address == 0 ? " (a null pointer)" : "";
    }
}
