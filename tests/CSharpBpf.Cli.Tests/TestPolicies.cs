namespace CSharpBpf.Cli.Tests;

/// <summary>Seccomp policies the command tests run real programs under.</summary>
[BpfObject]
public static partial class TestPolicies
{
    /// <summary>Creating directories fails with EPERM; everything else runs.</summary>
    [SeccompFilter]
    public static SeccompAction DenyMkdir(SeccompData data) =>
        data.Syscall == Syscall.Mkdir || data.Syscall == Syscall.Mkdirat ? SeccompAction.Errno(1) : SeccompAction.Allow;

    /// <summary>uname(2) kills the process.</summary>
    [SeccompFilter]
    public static SeccompAction KillUname(SeccompData data) =>
        data.Syscall == Syscall.Uname ? SeccompAction.KillProcess : SeccompAction.Allow;

    /// <summary>Files open for reading only: an open for writing (O_WRONLY or O_RDWR in the flags) fails with EACCES.</summary>
    [SeccompFilter]
    public static SeccompAction ReadOnlyFiles(SeccompData data)
    {
        switch (data.Syscall)
        {
            case Syscall.Openat:
                return (data.Arg2 & 3) != 0 ? SeccompAction.Errno(13) : SeccompAction.Allow;
            case Syscall.Open:
            case Syscall.Creat:
                return (data.Arg1 & 3) != 0 || data.Syscall == Syscall.Creat ? SeccompAction.Errno(13) : SeccompAction.Allow;
        }
        return SeccompAction.Allow;
    }

    /// <summary>getppid traps (SIGSYS, whose default action ends the process).</summary>
    [SeccompFilter]
    public static SeccompAction TrapGetppid(SeccompData data) =>
        data.Syscall == Syscall.Getppid ? SeccompAction.Trap : SeccompAction.Allow;

    /// <summary>No program can be started.</summary>
    [SeccompFilter]
    public static SeccompAction DenyExec(SeccompData data) =>
        data.Syscall == Syscall.Execve || data.Syscall == Syscall.Execveat ? SeccompAction.Errno(1) : SeccompAction.Allow;
}
