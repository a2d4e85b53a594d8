using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>The bpf filesystem (bpffs), where pins live: BPF_OBJ_PIN refuses any other path with EPERM
/// (kernel/bpf/inode.c, bpf_obj_do_pin), an errno that otherwise means missing capabilities.</summary>
public static unsafe partial class BpfFileSystem
{
    /// <summary>BPF_FS_MAGIC (include/uapi/linux/magic.h): statfs's f_type on a bpffs.</summary>
    private const long Magic = 0xcafe4a11;

    /// <summary>True when <paramref name="path"/>, or the nearest directory above it that exists, is on a bpffs.</summary>
    public static bool Contains(string path)
    {
        string? existing = Path.GetFullPath(path);
        while (existing != null && !Directory.Exists(existing) && !File.Exists(existing)) existing = Path.GetDirectoryName(existing);
        if (existing == null) return false;
        var buffer = stackalloc long[32]; // struct statfs is 120 bytes on 64-bit Linux; f_type is its first field
        return StatFs(existing, buffer) == 0 && buffer[0] == Magic;
    }

    [LibraryImport("libc.so.6", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatFs(string path, long* buffer);
}
