using System;
using System.Collections.Generic;
using System.IO;
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
            var fprog = new SockFprog { Length = (ushort)policy.Program.Count, Filter = filter };
            long result = syscall(SeccompSyscallNumber, SeccompSetModeFilter, SeccompFilterFlagTsync, &fprog);
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

    /// <summary>
    /// Installs <paramref name="policy"/> and replaces this process with <paramref name="file"/> (execve(2)), which then runs
    /// under it: what <c>csbpf seccomp run</c> does. The path is searched in PATH and argv and the environment are prepared
    /// first, so between the install and the exec the process makes no call but execve — which the policy must allow.
    /// Returns only by throwing.
    /// </summary>
    /// <param name="policy">The filter.</param>
    /// <param name="file">The program: a path, or a name looked up in PATH.</param>
    /// <param name="arguments">Its arguments, without argv[0] (which is <paramref name="file"/>).</param>
    /// <exception cref="FileNotFoundException"><paramref name="file"/> is not an executable file.</exception>
    /// <exception cref="BpfException">Installing failed, or execve did (its errno says why; EPERM/EACCES when the policy denies execve).</exception>
    public static void Exec(SeccompPolicy policy, string file, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(policy);
        string path = ResolveExecutable(file);
        var strings = new List<IntPtr>();
        IntPtr Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            strings.Add(pointer);
            return pointer;
        }
        var argv = new IntPtr[arguments.Count + 2];
        argv[0] = Utf8(file);
        for (int i = 0; i < arguments.Count; i++) argv[i + 1] = Utf8(arguments[i]);
        var environment = Environment.GetEnvironmentVariables();
        var envp = new IntPtr[environment.Count + 1];
        int e = 0;
        foreach (System.Collections.DictionaryEntry entry in environment) envp[e++] = Utf8($"{entry.Key}={entry.Value}");
        IntPtr pathPointer = Utf8(path);
        try
        {
            fixed (IntPtr* argvPointer = argv)
            fixed (IntPtr* envpPointer = envp)
            {
                Console.Out.Flush();
                Console.Error.Flush();
                execve(IntPtr.Zero, null, null); // binds the P/Invoke now (EFAULT), so nothing is loaded after the install
                Install(policy);
                execve(pathPointer, argvPointer, envpPointer);
                int errno = Marshal.GetLastPInvokeError();
                throw errno is 1 or 13
                    ? BpfException.WithCause($"execve({path})", errno, "the seccomp policy (or the file's permissions) refused it: a policy that runs a command must allow execve")
                    : new BpfException($"execve({path})", errno);
            }
        }
        finally
        {
            foreach (var pointer in strings) Marshal.FreeCoTaskMem(pointer);
        }
    }

    private static string ResolveExecutable(string file)
    {
        bool Executable(string candidate) => File.Exists(candidate) && OperatingSystem.IsLinux() && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        if (file.Contains('/'))
            return Executable(file) ? file : throw new FileNotFoundException($"'{file}' is not an executable file", file);
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, file);
            if (Executable(candidate)) return candidate;
        }
        throw new FileNotFoundException($"'{file}' is not in PATH", file);
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
    private static partial int execve(IntPtr path, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long syscall(long number, long operation, long flags, void* args);
}
