using System;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Seccomp;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Seccomp;

/// <summary>The same policies written as [SeccompFilter] C# and as libseccomp rules (tests/fixtures/seccomp/policies.c,
/// built here against the installed libseccomp) decide the same for every syscall of x86-64 and arm64, with arguments
/// at and around every value the rules test — both filters run in the classic BPF interpreter.</summary>
public sealed class LibseccompComparisonTests
{
    private const string Policies = """
        [BpfObject]
        public static partial class Policies
        {
            [SeccompFilter]
            public static SeccompAction Service(SeccompData data)
            {
                switch (data.Syscall)
                {
                    case Syscall.Read: case Syscall.Write: case Syscall.Close: case Syscall.Exit: case Syscall.ExitGroup:
                    case Syscall.Fstat: case Syscall.Newfstatat: case Syscall.Brk: case Syscall.RtSigreturn: case Syscall.Futex:
                        return SeccompAction.Allow;
                    case Syscall.Openat:
                        if ((data.Arg2 & 3) == 0) return SeccompAction.Allow;
                        if ((data.Arg2 & 3) == 1 || (data.Arg2 & 3) == 2) return SeccompAction.Errno(13);
                        break;
                    case Syscall.Open:
                        return SeccompAction.Errno(2);
                    case Syscall.Kill:
                        return data.Arg1 == 9 ? SeccompAction.KillProcess : SeccompAction.Allow;
                    case Syscall.Socket:
                        if (data.Arg0 == 2 || data.Arg0 == 10) return SeccompAction.Allow;
                        break;
                    case Syscall.Mmap:
                        return data.Arg1 > 0x1_0000_0000UL ? SeccompAction.Errno(12) : SeccompAction.Allow;
                    case Syscall.Ptrace:
                        return SeccompAction.Trap;
                    case Syscall.Personality:
                        return SeccompAction.Log;
                    case Syscall.Uname:
                        return SeccompAction.Trace(7);
                    case Syscall.Ioctl:
                        if ((data.Arg1 & 0xffffff00UL) == 0x5400) return SeccompAction.Allow;
                        break;
                    case Syscall.Setuid:
                        if (data.Arg0 >= 1000) return SeccompAction.Allow;
                        break;
                }
                return SeccompAction.Errno(1);
            }

            [SeccompFilter]
            public static SeccompAction Denylist(SeccompData data)
            {
                switch (data.Syscall)
                {
                    case Syscall.Mkdir: case Syscall.Mkdirat: case Syscall.Unlink: case Syscall.Unlinkat:
                    case Syscall.Rename: case Syscall.Renameat: case Syscall.Renameat2:
                        return SeccompAction.Errno(1);
                    case Syscall.Reboot: case Syscall.KexecLoad:
                        return SeccompAction.KillProcess;
                    case Syscall.IoUringSetup:
                        return SeccompAction.Errno(38);
                    case Syscall.Dup2: case Syscall.Dup3:
                        return data.Arg1 > 1023 ? SeccompAction.Errno(9) : SeccompAction.Allow;
                    case Syscall.Write:
                        return data.Arg0 == 99 ? SeccompAction.Errno(28) : SeccompAction.Allow;
                    case Syscall.Clone:
                        return (data.Arg0 & 0x10000000) != 0 ? SeccompAction.Errno(1) : SeccompAction.Allow;
                    case Syscall.Close:
                        return data.Arg0 < 3 ? SeccompAction.Trap : SeccompAction.Allow;
                }
                return SeccompAction.Allow;
            }
        }
        """;

    [Fact]
    public void Our_filters_and_libseccomps_decide_the_same_for_every_syscall_on_both_architectures()
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-libseccomp").FullName;
        try
        {
            string source = Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "seccomp", "policies.c");
            string binary = Path.Combine(directory, "policies");
            ExternalTool.Run("cc", "-O1", "-o", binary, source, "-lseccomp").EnsureSuccess();
            ExternalTool.Run(binary, directory).EnsureSuccess();
            using var harness = new BuiltAssembly(Policies);
            int compared = 0;
            foreach (string name in new[] { "Service", "Denylist" })
            {
                var ours = harness.Policy("Policies", name);
                var theirs = ClassicInterpreter.ForSeccomp(ClassicProgram.Decode(File.ReadAllBytes(Path.Combine(directory, name.ToLowerInvariant() + ".bpf"))));
                foreach (var data in Inputs())
                {
                    var expected = new SeccompAction(theirs.RunSeccomp(data.ToBytes()));
                    var actual = ours.Evaluate(data);
                    if (!expected.Equals(actual)) Assert.Fail($"{name}, {data}: libseccomp says {expected}, ours {actual}");
                    compared++;
                }
            }
            Assert.True(compared > 50_000, $"{compared} decisions compared");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every number 0–479 (and -1, an x32 number, 1000) on both architectures and i386, each with argument vectors
    /// drawn from the values the rules test and their neighbours, in both 32-bit halves.</summary>
    private static System.Collections.Generic.IEnumerable<SeccompData> Inputs()
    {
        var random = new Random(11);
        ulong[] values = { 0, 1, 2, 3, 8, 9, 10, 11, 98, 99, 100, 999, 1000, 1001, 1023, 1024, 0x5400, 0x5401, 0x54ff, 0x5500, 0x15400,
            0x10000000, 0x10000001, 0x0fffffff, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001, 0x1_0000_0009, 0x2_0000_0002, 0x8000_0000_0000_0003, ulong.MaxValue };
        ulong Arg() => values[random.Next(values.Length)];
        foreach (var architecture in SyscallTable.Architectures.Append((SeccompArchitecture)0x40000003))
            foreach (int nr in Enumerable.Range(0, 480).Concat(new[] { -1, 1000, 0x40000001 }))
                for (int i = 0; i < 24; i++)
                    yield return new SeccompData(architecture, nr, Arg(), Arg(), Arg(), Arg(), Arg(), Arg());
    }
}
