using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/execsnoop, run for real.</summary>
public sealed class ExecSnoopTests
{
    [KernelFact]
    public void It_shows_an_exec_with_its_pid_parent_uid_and_arguments_and_detaches_on_ctrl_c()
    {
        using var tool = SampleProcess.Start("execsnoop");
        tool.WaitForLine(line => line.StartsWith("PCOMM", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        string marker = "csbpf-" + Guid.NewGuid().ToString("N")[..8];
        ExternalTool.Run("/bin/echo", marker, "second-argument").EnsureSuccess();

        string line = tool.WaitForLine(l => l.Contains(marker));
        var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("echo", columns[0]);
        Assert.True(int.Parse(columns[1]) > 0);
        Assert.Equal(Environment.ProcessId, int.Parse(columns[2])); // this test started echo
        Assert.Equal("0", columns[3]);                               // uid root
        Assert.Equal("0", columns[4]);                               // execve succeeded
        Assert.EndsWith($"/bin/echo {marker} second-argument", line);

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
    }


    [Fact]
    public void An_unknown_argument_is_refused_with_the_usage()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("execsnoop", "--frobnicate");
        Assert.Equal(2, exitCode);
        Assert.Contains("unknown argument '--frobnicate'", stderr);
        Assert.Contains("Usage: execsnoop", stderr);
    }
}
