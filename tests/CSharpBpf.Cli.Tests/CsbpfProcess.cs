using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace CSharpBpf.Cli.Tests;

/// <summary>Runs the built csbpf as a separate process, as a user or the conformance runner would.</summary>
public static class CsbpfProcess
{
    /// <summary>Runs <c>csbpf ARGS</c> with <paramref name="stdin"/>; returns exit code and both streams.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string? stdin, params string[] args) =>
        Run(stdin, AppContext.BaseDirectory, Array.Empty<string>(), args);

    /// <summary>Runs <c>csbpf ARGS</c> as the unprivileged user nobody (setpriv), from a copy of the build anyone may read.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static (int ExitCode, string Stdout, string Stderr) RunAsNobody(params string[] args)
    {
        string copy = Directory.CreateTempSubdirectory("csbpf-nobody-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(AppContext.BaseDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            foreach (string directory in Directory.GetDirectories(copy, "*", SearchOption.AllDirectories).Append(copy))
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            return Run(null, copy, new[] { "--reuid=65534", "--regid=65534", "--clear-groups" }, args);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string? stdin, string directory, string[] asUser, string[] args)
    {
        var start = new ProcessStartInfo(asUser.Length == 0 ? "dotnet" : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asUser.Length > 0)
        {
            foreach (var a in asUser) start.ArgumentList.Add(a);
            start.ArgumentList.Add("dotnet");
            start.Environment["HOME"] = "/tmp"; // the SDK's first-run files
        }
        start.ArgumentList.Add(Path.Combine(directory, "csbpf.dll"));
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
}
