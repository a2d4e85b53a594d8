using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/opensnoop, run for real.</summary>
public sealed class OpenSnoopTests
{
    [KernelFact]
    public void It_shows_a_successful_and_a_failed_open_with_who_and_the_result()
    {
        using var tool = SampleProcess.Start("opensnoop");
        tool.WaitForLine(line => line.TrimStart().StartsWith("PID", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        string present = Path.Combine(Path.GetTempPath(), "csbpf-opensnoop-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(present, "x");
        string missing = present + "-missing";
        ExternalTool.Run("cat", present).EnsureSuccess();
        Assert.NotEqual(0, ExternalTool.Run("cat", missing).ExitCode);

        var opened = tool.WaitForLine(l => l.EndsWith(" " + present) && l.Contains(" cat ")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(opened[3]) >= 0, "a descriptor");
        Assert.Equal("0", opened[4]);
        var failed = tool.WaitForLine(l => l.EndsWith(" " + missing)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cat", failed[2]);
        Assert.Equal("-1", failed[3]);
        Assert.Equal("2", failed[4]); // ENOENT
        File.Delete(present);

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
    }
}
