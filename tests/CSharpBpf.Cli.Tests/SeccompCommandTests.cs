using System;
using System.IO;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary><c>csbpf seccomp run</c> on real programs, in child processes: the kernel applies the compiled filter, so a
/// denied call gets its errno, a killing one kills, and allowed ones run.</summary>
public sealed class SeccompCommandTests : IDisposable
{
    private const int SigSys = 31;
    private readonly string _directory = Directory.CreateTempSubdirectory("csbpf-seccomp").FullName;
    private static string Policies => typeof(TestPolicies).Assembly.Location;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Stdout, string Stderr) Run(string filter, params string[] command) =>
        CsbpfProcess.Run(null, ["seccomp", "run", Policies, "--filter", filter, "--", .. command]);

    [Fact]
    public void A_denied_call_fails_with_the_policys_errno_and_allowed_ones_run()
    {
        string denied = Path.Combine(_directory, "denied"), allowed = Path.Combine(_directory, "allowed");
        var mkdir = Run("DenyMkdir", "mkdir", denied);
        Assert.Equal(1, mkdir.ExitCode);
        Assert.Contains("Operation not permitted", mkdir.Stderr);
        Assert.False(Directory.Exists(denied));
        var touch = Run("DenyMkdir", "touch", allowed);
        Assert.True(touch.ExitCode == 0, touch.Stderr);
        Assert.True(File.Exists(allowed));
    }

    [Fact]
    public void A_killing_call_kills_the_process_with_SIGSYS()
    {
        var uname = Run("KillUname", "uname", "-r");
        Assert.Equal(128 + SigSys, uname.ExitCode);
        Assert.Equal("", uname.Stdout);
        var other = Run("KillUname", "sh", "-c", "echo still-running");
        Assert.Equal(0, other.ExitCode);
        Assert.Equal("still-running\n", other.Stdout);
    }

    [Fact]
    public void Argument_tests_reach_the_kernel_split_in_halves()
    {
        string file = Path.Combine(_directory, "written");
        File.WriteAllText(file, "before\n");
        var result = Run("ReadOnlyFiles", "sh", "-c", $"cat {file} && echo after > {file}");
        Assert.Equal("before\n", result.Stdout);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr);
        Assert.Equal("before\n", File.ReadAllText(file));
    }

    [Fact]
    public void A_trapping_call_raises_SIGSYS()
    {
        // The shell's $PPID comes from getppid; the trap's SIGSYS ends it.
        var result = Run("TrapGetppid", "sh", "-c", "echo $PPID");
        Assert.Equal(128 + SigSys, result.ExitCode);
    }

    [Fact]
    public void A_policy_that_denies_execve_is_reported_not_silently_ignored()
    {
        var result = Run("DenyExec", "true");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("execve", result.Stderr);
        Assert.Contains("must allow execve", result.Stderr);
    }

    [Fact]
    public void List_and_show_name_the_filters_and_print_them()
    {
        var list = CsbpfProcess.Run(null, "seccomp", "list", Policies);
        Assert.Equal(0, list.ExitCode);
        foreach (var name in new[] { "DenyMkdir", "KillUname", "ReadOnlyFiles", "TrapGetppid", "DenyExec" })
            Assert.Contains($"CSharpBpf.Cli.Tests.TestPolicies.{name}\t", list.Stdout);
        var show = CsbpfProcess.Run(null, "seccomp", "show", Policies, "--filter", "TestPolicies.KillUname");
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(TestPolicies.SeccompFilters.KillUname.Program.ToListing(), show.Stdout);
        Assert.StartsWith("(000) ld       [4]", show.Stdout);
        var ambiguous = CsbpfProcess.Run(null, "seccomp", "show", Policies);
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains("pick one with --filter", ambiguous.Stderr);
        var missing = CsbpfProcess.Run(null, "seccomp", "run", Policies, "--filter", "Nope", "--", "true");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("has no seccomp filter 'Nope'", missing.Stderr);
    }
}
