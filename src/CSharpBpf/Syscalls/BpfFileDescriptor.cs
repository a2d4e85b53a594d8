using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>A file descriptor of a BPF map, program or link; closing it releases the kernel object
/// unless something else (a pin, an attachment) holds it.</summary>
public sealed partial class BpfFileDescriptor : SafeHandle
{
    /// <summary>Wraps a descriptor the caller owns.</summary>
    public BpfFileDescriptor(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <summary>The raw descriptor.</summary>
    public int Value => (int)handle;

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => close((int)handle) == 0;

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int close(int fd);
}
