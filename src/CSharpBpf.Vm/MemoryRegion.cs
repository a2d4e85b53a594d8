namespace CSharpBpf.Vm;

/// <summary>
/// A block of memory a program may touch, at a synthetic address. Programs only ever see these
/// addresses; the VM maps each access back to the region's array after a bounds check, so no
/// program can reach host memory.
/// </summary>
public sealed class MemoryRegion
{
    /// <summary>Creates a region.</summary>
    /// <param name="name">What the region is, for error messages ("stack", "input", "map value").</param>
    /// <param name="baseAddress">The synthetic address of its first byte.</param>
    /// <param name="data">Its bytes; the region has exactly this length.</param>
    /// <param name="writable">Whether stores may touch it.</param>
    public MemoryRegion(string name, ulong baseAddress, byte[] data, bool writable = true)
    {
        Name = name;
        BaseAddress = baseAddress;
        Data = data;
        Writable = writable;
    }

    /// <summary>What the region is, for error messages.</summary>
    public string Name { get; }
    /// <summary>Synthetic address of the first byte.</summary>
    public ulong BaseAddress { get; }
    /// <summary>The bytes.</summary>
    public byte[] Data { get; }
    /// <summary>Whether stores may touch it.</summary>
    public bool Writable { get; }
    /// <summary>One past the last address.</summary>
    public ulong EndAddress => BaseAddress + (ulong)Data.Length;

    /// <summary>True when [address, address + size) lies wholly inside the region.</summary>
    public bool Contains(ulong address, int size) => address >= BaseAddress && address - BaseAddress <= (ulong)(Data.Length - size) && size <= Data.Length;
}
