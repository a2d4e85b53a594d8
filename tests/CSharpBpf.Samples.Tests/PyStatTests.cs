using System;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/pystat on the machine's python3 (Debian builds it with USDT probes): imports and collections of a
/// script run while it is attached.</summary>
public sealed class PyStatTests
{
    private const string Script = """
        import json, gc
        try:
            import csbpf_no_such_module
        except ImportError:
            pass
        for _ in range(3):
            gc.collect()
        """;

    [KernelFact]
    public void It_times_a_scripts_imports_and_collections_and_detaches_after()
    {
        using var tool = SampleProcess.Start("pystat", "--top", "1000");
        tool.WaitForLine(line => line.StartsWith("Tracing /usr/bin/python3", StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        ExternalTool.Run("/usr/bin/python3", "-c", Script).EnsureSuccess();

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        var lines = tool.Lines;
        // IMPORTS TOTAL-ms NOT-FOUND MODULE: json was found, the missing module was not.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^ +1 +\d+\.\d{3} +0 json$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^ +1 +\d+\.\d{3} +1 csbpf_no_such_module$"));
        int generation2 = lines.ToList().IndexOf("@gc_pause_us[generation 2]:");
        Assert.True(generation2 > 0, "gc.collect() collects generation 2: " + string.Join("\n", lines));
        var bars = lines.Skip(generation2 + 1).TakeWhile(l => l.StartsWith('[')).ToList();
        Assert.True(bars.Sum(b => long.Parse(Regex.Match(b, @"\) +(\d+) \|").Groups[1].Value)) >= 3, string.Join("\n", bars));
        Assert.Matches(@"^[1-9]\d* objects collected$", lines.Single(l => l.EndsWith(" objects collected", StringComparison.Ordinal)));
    }

    [KernelFact]
    public void An_interpreter_without_the_probes_is_named_in_one_line()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("pystat", "--python", "/bin/true", "--duration", "1");
        Assert.Equal(2, exitCode);
        Assert.Contains("pystat: /bin/true has no USDT probe python:import__find__load__start: it has no .note.stapsdt probes", stderr);
    }
}
