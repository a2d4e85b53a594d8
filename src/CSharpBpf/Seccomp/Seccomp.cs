using System;
using System.Runtime.InteropServices;
using CSharpBpf.Syscalls;

namespace CSharpBpf;

/// <summary>Installs seccomp filters on the calling process (seccomp(2), Documentation/userspace-api/seccomp_filter.rst).</summary>
public static unsafe partial class Seccomp
{
    private const int PrSetNoNewPrivs = 38;
    private const long SeccompSetModeFilter = 1;
    private const long SeccompFilterFlagTsync = 1;

    /// <summary>
    /// Installs <paramref name="policy"/> on every thread of this process, for good: sets no_new_privs (so no exec can gain
    /// privileges the filter would then constrain; this needs no capability) and calls seccomp(SECCOMP_SET_MODE_FILTER,
    /// SECCOMP_FILTER_FLAG_TSYNC). Filters stack; each call is answered by the most restrictive. Everything the process does
    /// afterwards — the .NET runtime included — must be allowed by the policy, so install it just before the code it
    /// confines, or in a child (<c>csbpf seccomp run</c> installs, then execs the command).
    /// </summary>
    /// <exception cref="BpfException">prctl or seccomp failed: the message gives the errno's cause.</exception>
    public static void Install(SeccompPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0)
            throw new BpfException("prctl(PR_SET_NO_NEW_PRIVS)", Marshal.GetLastPInvokeError());
        byte[] code = policy.Program.Encode();
        fixed (byte* filter = code)
        {
            // struct sock_fprog: the length, padding to the pointer's alignment, the pointer.
            var fprog = stackalloc byte[16];
            *(ushort*)fprog = (ushort)policy.Program.Count;
            *(byte**)(fprog + 8) = filter;
            long result = syscall(SeccompSyscallNumber, SeccompSetModeFilter, SeccompFilterFlagTsync, fprog);
            if (result < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw errno switch
                {
                    22 => BpfException.WithCause("seccomp(SECCOMP_SET_MODE_FILTER)", errno, "EINVAL: the kernel refused the filter or the TSYNC flag"),
                    _ => new BpfException("seccomp(SECCOMP_SET_MODE_FILTER)", errno),
                };
            }
            if (result > 0)
                throw BpfException.WithCause("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)", 0,
                    $"thread {result} could not be synchronised (it already has a filter this one does not extend); no thread got the filter");
        }
    }

    // __NR_seccomp: 317 on x86-64, 277 on arm64 (the asm-generic table).
    private static long SeccompSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 317,
        Architecture.Arm64 => 277,
        var other => throw new PlatformNotSupportedException($"seccomp filters are installed on x86-64 and arm64, not {other}"),
    };

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long syscall(long number, long operation, long flags, void* args);
}
