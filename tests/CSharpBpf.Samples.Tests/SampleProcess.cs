using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>A sample tool built from samples/&lt;name&gt; against the packed CSharpBpf package and run as a process:
/// its output lines as they come, Ctrl+C (SIGINT) as a user stops it.</summary>
public sealed partial class SampleProcess : IDisposable
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> builds = new();
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly List<string> _seen = new();
    private readonly List<string> _errors = new();

    // The kernel matrix's guests run under TCG, two at once on this machine's cores: scripts/test-kernels.sh sets
    // CSBPF_TIMEOUT_SCALE so that a wait that fits a real machine with room fits there too.
    private static readonly int timeoutScale =
        int.TryParse(Environment.GetEnvironmentVariable("CSBPF_TIMEOUT_SCALE"), out int scale) && scale > 0 ? scale : 1;

    private SampleProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_errors) _errors.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Builds the sample once per test run (Release) and returns its entry assembly.</summary>
    public static string Build(string name) => builds.GetOrAdd(name, n => new Lazy<string>(() =>
    {
        string project = Path.Combine(RepositoryPaths.Root, "samples", n);
        string assembly = Path.Combine(project, "bin", "Release", "net10.0", n + ".dll");
        // The kernel matrix's guests (scripts/test-kernels.sh) run what the host built: a build under TCG takes minutes.
        if (Environment.GetEnvironmentVariable("CSBPF_PREBUILT_SAMPLES") == "1" && File.Exists(assembly)) return assembly;
        var package = Path.Combine(RepositoryPaths.Root, "artifacts", "packages", "CSharpBpf.0.1.0.nupkg");
        Assert.True(File.Exists(package), $"{package} is missing: run scripts/pack.sh first (scripts/test.sh does)");
        ExternalTool.Run(new ExternalTool.Options(TimeoutSeconds: 300), "dotnet", "build", project, "-c", "Release", "-nologo", "-v", "q").EnsureSuccess();
        return assembly;
    })).Value;

    /// <summary>Starts the sample with <paramref name="arguments"/>.</summary>
    public static SampleProcess Start(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Build(name));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        return new SampleProcess(Process.Start(start)!);
    }

    /// <summary>Runs the sample to its end (for --help and refusals).</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunToEnd(string name, params string[] arguments)
    {
        var result = ExternalTool.Run("dotnet", new[] { Build(name) }.Concat(arguments).ToArray());
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>Runs the sample as the unprivileged user nobody (setpriv), from a copy anyone may read.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunAsNobody(string name, params string[] arguments)
    {
        var result = ExternalTool.RunDotnetAsNobody(Build(name), arguments);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>Every line printed so far.</summary>
    public IReadOnlyList<string> Lines => _seen;

    /// <summary>Waits for a line matching <paramref name="match"/>; fails with what the tool printed after <paramref name="seconds"/>.</summary>
    public string WaitForLine(Func<string, bool> match, int seconds = 30)
    {
        seconds *= timeoutScale;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        foreach (string seen in _seen) if (match(seen)) return seen;
        while (DateTime.UtcNow < deadline)
        {
            if (!_lines.TryTake(out string? line, 200)) continue;
            _seen.Add(line);
            if (match(line)) return line;
        }
        string errors;
        lock (_errors) errors = string.Join('\n', _errors);
        Assert.Fail($"no matching line after {seconds} s; stdout:\n{string.Join('\n', _seen)}\nstderr:\n{errors}");
        return "";
    }

    /// <summary>Sends SIGINT, as Ctrl+C does, and waits for the exit code.</summary>
    public int Interrupt(int seconds = 30)
    {
        seconds *= timeoutScale;
        kill(_process.Id, 2);
        Assert.True(_process.WaitForExit(seconds * 1000), "the tool did not stop on SIGINT");
        _process.WaitForExit();
        while (_lines.TryTake(out string? line)) _seen.Add(line);
        return _process.ExitCode;
    }

    /// <summary>Kills the tool if a test left it running.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>Waits for the tool's "Attached Name (id N), …" line and returns the program ids.</summary>
    public IReadOnlyList<int> AttachedProgramIds()
    {
        string line = WaitForLine(l => l.StartsWith("Attached ", StringComparison.Ordinal));
        return ProgramId().Matches(line).Select(m => int.Parse(m.Groups[1].Value)).ToList();
    }

    /// <summary>Asserts each program is gone from the kernel: nothing kept it attached after the tool exited. The kernel
    /// frees a released program after an RCU grace period, so this allows it a few seconds.</summary>
    public static void AssertUnloaded(IEnumerable<int> ids)
    {
        foreach (int id in ids)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (ExternalTool.Run("bpftool", "prog", "show", "id", id.ToString()).ExitCode == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"program {id} is still loaded 10 s after the tool exited");
                Thread.Sleep(100);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(id (\d+)\)")]
    private static partial System.Text.RegularExpressions.Regex ProgramId();

    [LibraryImport("libc.so.6")]
    private static partial int kill(int pid, int signal);
}
