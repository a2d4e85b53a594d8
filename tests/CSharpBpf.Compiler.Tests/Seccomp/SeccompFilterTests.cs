using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Classic.Seccomp;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Seccomp;

/// <summary>[SeccompFilter] methods compiled by the generator decide, in the classic BPF interpreter (the kernel's
/// semantics), exactly what the same C# decides as plain .NET, for every syscall of both architectures.</summary>
public class SeccompFilterTests
{
    private const string Sandbox = """
        [BpfObject]
        public static partial class Sandbox
        {
            [SeccompFilter]
            public static SeccompAction Policy(SeccompData data)
            {
                switch (data.Syscall)
                {
                    case Syscall.Read:
                    case Syscall.Write:
                    case Syscall.Exit:
                    case Syscall.ExitGroup:
                        return SeccompAction.Allow;
                    case Syscall.Open:
                    case Syscall.Openat:
                        return (data.Arg2 & 3) == 0 ? SeccompAction.Allow : SeccompAction.Errno(13);
                    case Syscall.Kill:
                        return (int)data.Arg1 == 9 ? SeccompAction.KillProcess : SeccompAction.Allow;
                    case Syscall.Mmap:
                        return data.Arg1 > 0x1_0000_0000UL ? SeccompAction.Errno(12) : SeccompAction.Allow;
                    case Syscall.Ptrace:
                        return SeccompAction.Trap;
                }
                if (data.Nr == 1000) return SeccompAction.Log;
                return SeccompAction.Errno(1);
            }
        }
        """;

    [Fact]
    public void A_policy_decides_as_its_CSharp_does_for_every_syscall_on_both_architectures()
    {
        using var harness = new BuiltAssembly(Sandbox);
        var policy = harness.Policy("Sandbox", "Policy");
        var method = harness.Method("Sandbox", "Policy");
        int compared = 0;
        foreach (var data in Inputs(seed: 1))
        {
            SeccompAction expected = method(data), actual = policy.Evaluate(data);
            if (!expected.Equals(actual)) Assert.Fail($"{data}: C# says {expected}, the filter {actual}\n{policy.Program.ToListing()}");
            compared++;
        }
        Assert.True(compared > 5000, $"{compared} inputs");
    }

    private const string Idioms = """
        [BpfObject]
        public static partial class Idioms
        {
            const int EPERM = 1, EACCES = 13;

            [SeccompFilter]
            public static SeccompAction Patterns(SeccompData data) => data.Syscall switch
            {
                Syscall.Read or Syscall.Write => data.Arg0 is > 2 and < 1000 ? SeccompAction.Allow : SeccompAction.Errno(EPERM),
                Syscall.Openat when (data.Arg2 & 3) != 0 => SeccompAction.Errno(EACCES),
                Syscall.Kill => (int)data.Arg1 is 9 or 19 ? SeccompAction.Trap : SeccompAction.Allow,
                _ when data.Nr is >= 400 and < 450 => SeccompAction.Log,
                _ when data.Arch == SeccompArchitecture.Arm64 && (long)data.Arg5 < -1 => SeccompAction.Trace(5),
                _ => SeccompAction.Allow,
            };

            [SeccompFilter]
            public static SeccompAction Locals(SeccompData data)
            {
                var action = SeccompAction.Allow;
                uint flags = (uint)data.Arg1;
                int fd = (int)data.Arg0;
                if (data.Syscall is Syscall.Ioctl or Syscall.Fcntl)
                {
                    if (fd < 0) action = SeccompAction.Errno(9);
                    else if ((flags & 0xff00) == 0x5400) action = SeccompAction.KillThread;
                }
                ulong length = data.Arg1 >> 12;
                if (data.Syscall == Syscall.Mmap && length > 0x10_0000) action = SeccompAction.Errno((int)(length & 0x7f));
                bool tracing = data.Syscall == Syscall.Ptrace || data.Syscall == Syscall.ProcessVmReadv;
                return tracing ? SeccompAction.UserNotify : action;
            }
        }
        """;

    [Theory]
    [InlineData("Patterns")]
    [InlineData("Locals")]
    public void Switch_expressions_patterns_and_locals_decide_as_their_CSharp_does(string name)
    {
        using var harness = new BuiltAssembly(Idioms);
        var policy = harness.Policy("Idioms", name);
        var method = harness.Method("Idioms", name);
        foreach (var data in Inputs(seed: 3))
        {
            SeccompAction expected = method(data), actual = policy.Evaluate(data);
            if (!expected.Equals(actual)) Assert.Fail($"{data}: C# says {expected}, the filter {actual}\n{policy.Program.ToListing()}");
        }
    }

    /// <summary>The trust property for seccomp: random policies (CSBPF_SECCOMP_POLICIES, 150 by default) build clean and
    /// decide every input as their C# does.</summary>
    [Fact]
    public void Random_policies_decide_as_their_CSharp_does()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_SECCOMP_POLICIES"), out int n) ? n : 150;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_SECCOMP_SEED"), out int s) ? s : 7;
        var generator = new SeccompPolicyGenerator(seed);
        var sources = Enumerable.Range(0, count).Select(generator.Policy).ToArray();
        using var harness = new BuiltAssembly(sources);
        var inputs = Inputs(seed).Where((_, i) => i % 3 == 0).ToList();
        var failures = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var policy = harness.Policy($"P{i}", "Policy");
            var method = harness.Method($"P{i}", "Policy");
            var wrong = inputs.FirstOrDefault(d => !method(d).Equals(policy.Evaluate(d)));
            if (wrong != null)
                failures.Add($"P{i} on {wrong}: C# says {method(wrong)}, the filter {policy.Evaluate(wrong)}\n{sources[i]}\n{policy.Program.ToListing()}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} policies disagree; the first:\n{failures.FirstOrDefault()}");
    }

    /// <summary>Every syscall number of both architectures (and some that name nothing) with argument vectors mixing
    /// boundary values and random ones.</summary>
    internal static IEnumerable<SeccompData> Inputs(int seed)
    {
        var random = new Random(seed);
        ulong[] boundaries = { 0, 1, 2, 3, 9, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001, 0xffffffff_ffffffff, 0x8000_0000_0000_0000 };
        ulong Arg() => random.Next(3) switch
        {
            0 => boundaries[random.Next(boundaries.Length)],
            1 => (ulong)random.Next(0, 64),
            _ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33),
        };
        foreach (var architecture in SyscallTable.Architectures)
        {
            var numbers = Enumerable.Range(0, 480).Concat(new[] { 1000, 0x3fffffff, -1 });
            foreach (int nr in numbers)
                for (int i = 0; i < 6; i++)
                    yield return new SeccompData(architecture, nr, Arg(), Arg(), Arg(), Arg(), Arg(), Arg(), instructionPointer: Arg());
        }
    }
}
