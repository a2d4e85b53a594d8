using System;
using System.Diagnostics;
using System.IO;

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
    public static Result Run(string file, params string[] args) => Run(new Options(), file, args);

    /// <summary>Where and how long a run may take, and extra environment variables.</summary>
    public sealed record Options(string? WorkingDirectory = null, int TimeoutSeconds = 60, params (string Name, string Value)[] Environment);

    /// <summary>Runs <c>dotnet DLL ARGS</c> as the unprivileged user nobody (setpriv), from a copy of the app's directory
    /// anyone may read (a test's build usually sits below a directory only root may enter).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static Result RunDotnetAsNobody(string dll, params string[] args)
    {
        string built = Path.GetDirectoryName(Path.GetFullPath(dll))!;
        string copy = Directory.CreateTempSubdirectory("csbpf-nobody-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(built, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(built, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            foreach (string directory in Directory.GetDirectories(copy, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
            var setpriv = new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Path.Combine(copy, Path.GetFileName(dll)) };
            return Run(new Options(Environment: ("HOME", "/tmp")), "setpriv", [.. setpriv, .. args]); // HOME: the SDK's first-run files
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> (no shell) as <paramref name="options"/> say.</summary>
    public static Result Run(Options options, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (options.WorkingDirectory != null) start.WorkingDirectory = options.WorkingDirectory;
        foreach (var (name, value) in options.Environment) start.Environment[name] = value;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(options.TimeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {options.TimeoutSeconds} s");
        }
        return new Result($"{file} {string.Join(' ', args)}", process.ExitCode, stdout, stderr.Result);
    }
}
