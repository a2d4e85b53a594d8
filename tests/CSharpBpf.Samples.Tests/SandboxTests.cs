using System.IO;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/sandbox runs real commands under its C# seccomp policies: what the policy denies fails with its errno,
/// the rest runs.</summary>
public sealed class SandboxTests
{
    [Fact]
    public void Read_only_lets_a_command_read_files_but_not_change_them()
    {
        string file = Path.Combine(Path.GetTempPath(), $"csbpf-sandbox-{System.Guid.NewGuid():n}");
        File.WriteAllText(file, "kept\n");
        try
        {
            var (exitCode, stdout, stderr) = SampleProcess.RunToEnd("sandbox", "--policy", "read-only", "--", "sh", "-c", $"cat {file}; echo changed > {file}; rm {file}");
            Assert.Equal("kept\n", stdout);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("Read-only file system", stderr);
            Assert.Equal("kept\n", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void No_network_refuses_internet_sockets_but_not_unix_ones()
    {
        var ping = SampleProcess.RunToEnd("sandbox", "--policy", "no-network", "--", "ping", "-c", "1", "127.0.0.1");
        Assert.NotEqual(0, ping.ExitCode);
        Assert.Contains("Permission denied", ping.Stderr);
        // ls opens no sockets except the Unix one nscd lookups may try: it must still work.
        var ls = SampleProcess.RunToEnd("sandbox", "--policy", "no-network", "--", "ls", "/");
        Assert.Equal(0, ls.ExitCode);
        Assert.Contains("usr", ls.Stdout);
    }

    [Fact]
    public void Show_prints_the_compiled_filter_and_help_says_what_it_does()
    {
        var show = SampleProcess.RunToEnd("sandbox", "--policy", "no-network", "--show");
        Assert.Equal(0, show.ExitCode);
        Assert.StartsWith("(000) ld       [4]", show.Stdout);
        Assert.Contains("ret      #327693", show.Stdout); // SECCOMP_RET_ERRNO | EACCES
        var help = SampleProcess.RunToEnd("sandbox", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("sandbox — ", help.Stdout);
        Assert.Contains("Usage: sandbox", help.Stdout);
    }
}
