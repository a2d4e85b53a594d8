using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>A shared mapping of a BPF object's memory (a ring buffer's pages), unmapped on dispose.</summary>
public sealed unsafe partial class MemoryMapping : IDisposable
{
    private const int ProtRead = 1, ProtWrite = 2, MapShared = 1;

    private MemoryMapping(byte* address, long length)
    {
        Address = address;
        Length = length;
    }

    /// <summary>The mapping's first byte.</summary>
    public byte* Address { get; private set; }
    /// <summary>Its length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> from <paramref name="offset"/>.</summary>
    public static MemoryMapping Map(BpfFileDescriptor fd, long length, long offset, bool writable)
    {
        void* address = mmap(null, (nuint)length, ProtRead | (writable ? ProtWrite : 0), MapShared, fd.Value, offset);
        if (address == (void*)-1) throw new BpfException($"mmap of {length} bytes at offset {offset} of fd {fd.Value}", Marshal.GetLastPInvokeError());
        return new MemoryMapping((byte*)address, length);
    }

    /// <summary>Unmaps.</summary>
    public void Dispose()
    {
        if (Address == null) return;
        munmap(Address, (nuint)Length);
        Address = null;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int munmap(void* address, nuint length);
}
