using System;
using CSharpBpf.Bytecode.Classic.Seccomp;

namespace CSharpBpf;

/// <summary>
/// What a seccomp filter decides for a system call: a SECCOMP_RET_* action in the high 16 bits and its data in the low 16
/// (include/uapi/linux/seccomp.h). When several filters are installed the kernel takes the most restrictive answer, in
/// the order KillProcess, KillThread, Trap, Errno, UserNotify, Trace, Log, Allow.
/// </summary>
public readonly struct SeccompAction : IEquatable<SeccompAction>
{
    /// <summary>The action with this raw SECCOMP_RET_* value.</summary>
    public SeccompAction(uint value) => Value = value;

    /// <summary>The raw value the filter returns.</summary>
    public uint Value { get; }

    /// <summary>SECCOMP_RET_KILL_PROCESS: the whole process dies of SIGSYS (kernel 4.14 and later).</summary>
    public static SeccompAction KillProcess => new(SeccompAbi.KillProcess);
    /// <summary>SECCOMP_RET_KILL_THREAD: the calling thread dies as if by SIGSYS.</summary>
    public static SeccompAction KillThread => new(SeccompAbi.KillThread);
    /// <summary>SECCOMP_RET_TRAP: the call is not made and the thread gets SIGSYS (si_syscall names the call).</summary>
    public static SeccompAction Trap => new(SeccompAbi.Trap);
    /// <summary>SECCOMP_RET_USER_NOTIFY: a supervisor holding the filter's listener descriptor decides. <see cref="Seccomp.Install"/>
    /// creates no listener (SECCOMP_FILTER_FLAG_NEW_LISTENER), and without one the call fails with ENOSYS.</summary>
    public static SeccompAction UserNotify => new(SeccompAbi.UserNotify);
    /// <summary>SECCOMP_RET_LOG: the call is made and logged (kernel.seccomp.actions_logged).</summary>
    public static SeccompAction Log => new(SeccompAbi.Log);
    /// <summary>SECCOMP_RET_ALLOW: the call is made.</summary>
    public static SeccompAction Allow => new(SeccompAbi.Allow);

    /// <summary>SECCOMP_RET_ERRNO: the call is not made and returns -<paramref name="errno"/> (1 is EPERM, 38 ENOSYS). The
    /// low 16 bits are kept, and the kernel caps the value at 4095 (MAX_ERRNO).</summary>
    public static SeccompAction Errno(int errno) => new(SeccompAbi.Errno | ((uint)errno & SeccompAbi.DataMask));

    /// <summary>SECCOMP_RET_TRACE: a ptrace tracer is told (PTRACE_EVENT_SECCOMP with <paramref name="data"/>, low 16 bits);
    /// without one the call fails with ENOSYS.</summary>
    public static SeccompAction Trace(int data = 0) => new(SeccompAbi.Trace | ((uint)data & SeccompAbi.DataMask));

    /// <inheritdoc/>
    public bool Equals(SeccompAction other) => Value == other.Value;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SeccompAction other && Equals(other);
    /// <inheritdoc/>
    public override int GetHashCode() => (int)Value;

    /// <summary>"allow", "errno 1", "kill-process", …</summary>
    public override string ToString() => (Value & SeccompAbi.ActionMask) switch
    {
        SeccompAbi.KillProcess => "kill-process",
        SeccompAbi.KillThread => "kill-thread",
        SeccompAbi.Trap => (Value & SeccompAbi.DataMask) == 0 ? "trap" : $"trap {Value & SeccompAbi.DataMask}",
        SeccompAbi.Errno => $"errno {Value & SeccompAbi.DataMask}",
        SeccompAbi.UserNotify => "user-notify",
        SeccompAbi.Trace => $"trace {Value & SeccompAbi.DataMask}",
        SeccompAbi.Log => "log",
        SeccompAbi.Allow => "allow",
        _ => $"0x{Value:x8}",
    };
}
