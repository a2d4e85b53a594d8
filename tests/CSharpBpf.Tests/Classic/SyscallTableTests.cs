using System;
using System.Linq;
using CSharpBpf.Bytecode.Classic.Seccomp;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Tests.Classic;

/// <summary>The Syscall enum users write and the table the generator and SeccompData map it through are one: every member
/// names the call at its ordinal, and the numbers are libseccomp's for both architectures.</summary>
public sealed class SyscallTableTests
{
    [Fact]
    public void Every_member_names_the_call_at_its_ordinal()
    {
        var members = Enum.GetValues<Syscall>();
        Assert.Equal(SyscallTable.Names.Count, members.Length);
        foreach (var member in members)
        {
            string name = SyscallTable.Names[(int)member - 1];
            // The member is the kernel name in PascalCase (_sysctl is Sysctl, io_uring_setup IoUringSetup).
            Assert.Equal(name.Replace("_", ""), member.ToString().ToLowerInvariant());
        }
    }

    [Theory]
    [InlineData("openat", 257, 56)]
    [InlineData("read", 0, 63)]
    [InlineData("execve", 59, 221)]
    [InlineData("open", 2, -1)]
    [InlineData("renameat2", 316, 276)]
    [InlineData("io_uring_setup", 425, 425)]
    public void Numbers_are_each_architectures_own(string name, int x86_64, int arm64)
    {
        Assert.Equal(x86_64 < 0 ? null : x86_64, SyscallTable.Number(SeccompArchitecture.X86_64, name));
        Assert.Equal(arm64 < 0 ? null : arm64, SyscallTable.Number(SeccompArchitecture.Arm64, name));
        var member = Enum.GetValues<Syscall>().Single(m => SyscallTable.Names[(int)m - 1] == name);
        if (x86_64 >= 0) Assert.Equal(member, new SeccompData(SeccompArchitecture.X86_64, x86_64).Syscall);
        if (arm64 >= 0) Assert.Equal(member, new SeccompData(SeccompArchitecture.Arm64, arm64).Syscall);
        else Assert.Throws<ArgumentException>(() => new SeccompData(SeccompArchitecture.Arm64, member));
    }

    [Fact]
    public void The_table_agrees_with_scmp_sys_resolver()
    {
        var random = new Random(3);
        foreach (string name in SyscallTable.Names.OrderBy(_ => random.Next()).Take(40))
            foreach (var (architecture, flag) in new[] { (SeccompArchitecture.X86_64, "x86_64"), (SeccompArchitecture.Arm64, "aarch64") })
            {
                string resolved = ExternalTool.Run("scmp_sys_resolver", "-a", flag, name).EnsureSuccess().Stdout.Trim();
                int? expected = int.TryParse(resolved, out int n) && n >= 0 ? n : null; // negative: libseccomp's pseudo-number for "not on this architecture"
                Assert.True(expected == SyscallTable.Number(architecture, name), $"{name} on {flag}: scmp_sys_resolver says {resolved}, the table {SyscallTable.Number(architecture, name)}");
            }
    }

    [Fact]
    public void Unknown_numbers_and_architectures_name_no_call()
    {
        Assert.Equal((Syscall)0, new SeccompData(SeccompArchitecture.X86_64, 100_000).Syscall);
        Assert.Equal((Syscall)0, new SeccompData((SeccompArchitecture)0x40000003, 3).Syscall);
        Assert.Null(SyscallTable.Name((SeccompArchitecture)0x40000003, 3));
        Assert.Equal("X86_64 openat(0, 0, 1, 0, 0, 0)", new SeccompData(SeccompArchitecture.X86_64, Syscall.Openat, arg2: 1).ToString());
    }
}
