using System;
using System.Diagnostics;
using System.IO;

namespace CSharpBpf.Cli.Tests;

/// <summary>Runs the built csbpf as a separate process, as a user or the conformance runner would.</summary>
public static class CsbpfProcess
{
    /// <summary>Runs <c>csbpf ARGS</c> with <paramref name="stdin"/>; returns exit code and both streams.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "csbpf.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"csbpf {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs <c>csbpf ARGS</c> as the unprivileged user nobody.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static (int ExitCode, string Stdout, string Stderr) RunAsNobody(params string[] args)
    {
        var result = CSharpBpf.Testing.ExternalTool.RunDotnetAsNobody(Path.Combine(AppContext.BaseDirectory, "csbpf.dll"), args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
