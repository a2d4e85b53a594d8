using CSharpBpf;

namespace SandboxSample;

/// <summary>The sandbox's seccomp policies: C# the generator compiles to classic BPF for x86-64 and arm64.</summary>
[BpfObject]
public static partial class Policies
{
    private const int EROFS = 30, EACCES = 13;
    private const ulong O_ACCMODE = 3, O_CREAT = 0x40, O_TRUNC = 0x200;
    private const ulong AF_UNIX = 1;

    /// <summary>Files can be read but not changed: opens for writing, creating or truncating, and every call that
    /// makes, removes, renames or re-permissions a file, fail with EROFS ("Read-only file system").</summary>
    [SeccompFilter]
    public static SeccompAction ReadOnly(SeccompData data)
    {
        switch (data.Syscall)
        {
            case Syscall.Open:
                return (data.Arg1 & (O_ACCMODE | O_CREAT | O_TRUNC)) != 0 ? SeccompAction.Errno(EROFS) : SeccompAction.Allow;
            case Syscall.Openat:
                return (data.Arg2 & (O_ACCMODE | O_CREAT | O_TRUNC)) != 0 ? SeccompAction.Errno(EROFS) : SeccompAction.Allow;
            case Syscall.Creat:
            case Syscall.Mkdir: case Syscall.Mkdirat:
            case Syscall.Unlink: case Syscall.Unlinkat: case Syscall.Rmdir:
            case Syscall.Rename: case Syscall.Renameat: case Syscall.Renameat2:
            case Syscall.Link: case Syscall.Linkat: case Syscall.Symlink: case Syscall.Symlinkat:
            case Syscall.Truncate: case Syscall.Ftruncate:
            case Syscall.Chmod: case Syscall.Fchmod: case Syscall.Fchmodat:
            case Syscall.Chown: case Syscall.Fchown: case Syscall.Lchown: case Syscall.Fchownat:
            case Syscall.Mknod: case Syscall.Mknodat:
                return SeccompAction.Errno(EROFS);
        }
        return SeccompAction.Allow;
    }

    /// <summary>No network: sockets other than Unix-domain ones fail with EACCES.</summary>
    [SeccompFilter]
    public static SeccompAction NoNetwork(SeccompData data) =>
        data.Syscall == Syscall.Socket && data.Arg0 != AF_UNIX ? SeccompAction.Errno(EACCES) : SeccompAction.Allow;
}
