using System;
using System.Diagnostics;

namespace CSharpBpf.Testing;

/// <summary>Runs a real tool (bpftool, readelf, ip, tc, clang…) and captures what it says.</summary>
public static class ExternalTool
{
    /// <summary>The outcome of one run.</summary>
    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Throws, with everything the tool said, unless it exited 0.</summary>
        public Result EnsureSuccess() => ExitCode == 0 ? this : throw new InvalidOperationException($"`{Command}` exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> (no shell), waiting at most a minute.</summary>
    public static Result Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }
        return new Result($"{file} {string.Join(' ', args)}", process.ExitCode, stdout, stderr.Result);
    }
}
