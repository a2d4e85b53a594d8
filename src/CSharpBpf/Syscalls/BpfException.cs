using System;

namespace CSharpBpf.Syscalls;

/// <summary>A bpf(2) operation failed. The message names the operation and the cause in words;
/// for a program the verifier refused, <see cref="VerifierLog"/> holds the kernel's log.</summary>
public sealed class BpfException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BpfException(string operation, int errno, string? verifierLog = null)
        : base(Describe(operation, errno, verifierLog))
    {
        Operation = operation;
        Errno = errno;
        VerifierLog = verifierLog;
    }

    private BpfException(string operation, int errno, string cause, bool _)
        : base($"{operation} failed: {cause}")
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>The same failure, explained by what the caller knows of it (errno alone can mislead: EACCES at attach is
    /// not the verifier).</summary>
    internal static BpfException WithCause(string operation, int errno, string cause) => new(operation, errno, cause, false);

    /// <summary>What was attempted, e.g. "BPF_PROG_LOAD of xdp program 'filter'".</summary>
    public string Operation { get; }
    /// <summary>The errno the kernel returned.</summary>
    public int Errno { get; }
    /// <summary>The verifier's log, when a program load failed and the kernel wrote one.</summary>
    public string? VerifierLog { get; }

    private static string Describe(string operation, int errno, string? log)
    {
        string cause = errno switch
        {
            1 => "EPERM: the process lacks CAP_BPF (and CAP_NET_ADMIN or CAP_PERFMON for this program type) or CAP_SYS_ADMIN; run as root",
            2 => "ENOENT: no such element",
            7 => "E2BIG: an attribute is larger than this kernel accepts",
            9 => "EBADF: the file descriptor is not a BPF object",
            12 => "ENOMEM: the kernel could not allocate the object (check RLIMIT_MEMLOCK on kernels before 5.11)",
            13 => "EACCES: the verifier refused the program",
            22 => "EINVAL: the kernel refused the attributes or the verifier refused the program",
            28 => "ENOSPC: the verifier's log outgrew the buffer given for it",
            38 => "ENOSYS: this kernel has no bpf(2)",
            95 => "EOPNOTSUPP: this kernel does not support the operation",
            524 => "ENOTSUPP: this kernel does not support the operation",
            _ => $"errno {errno}",
        };
        // The verifier's budget errors come back as E2BIG or EFAULT, which alone say nothing about it.
        if (log != null && (log.Contains("BPF program is too large") || log.Contains("jumps is too complex")))
            cause = $"errno {errno}: the verifier ran out of budget (1,000,000 instructions, 8,192 pending branches) following every path "
                + "through the program, every iteration of every for loop; write long or branchy loops as foreach (int i in Bpf.Range(from, to)), "
                + "which it checks once, or mark a function called in a loop [BpfGlobalFunction]";
        string message = $"{operation} failed: {cause}";
        if (!string.IsNullOrWhiteSpace(log)) message += Environment.NewLine + "verifier log:" + Environment.NewLine + log!.TrimEnd();
        return message;
    }
}
