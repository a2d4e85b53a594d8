using System;
using System.Diagnostics;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>
/// Issue #15's first hour: the template package installs (`dotnet new install`, into a hive of the test's own), each
/// template makes a project that builds against the CSharpBpf package packed from this build, its unit tests pass
/// running the program as plain .NET, and the app runs as root and reports what the kernel counted.
/// </summary>
public sealed class TemplateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("csharpbpf-templates-").FullName;

    [KernelTheory]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [InlineData("bpf-xdp", "lo", "protocol   1:")]
    [InlineData("bpf-socket-filter", "lo", "protocol 1:")]
    [InlineData("bpf-tracing", null, "syscalls")]
    public void A_new_project_builds_passes_its_tests_and_runs(string template, string? device, string expected)
    {
        var (app, options) = Install();
        ExternalTool.Run(options, "dotnet", "new", template, "-n", "MyApp", "-o", app, "--debug:custom-hive", Path.Combine(_directory, "hive")).EnsureSuccess();

        var test = ExternalTool.Run(options with { WorkingDirectory = app, TimeoutSeconds = 600 }, "dotnet", "test", "MyApp.Tests").EnsureSuccess();
        Assert.Contains("Passed!", test.Stdout);
        Assert.True(File.Exists(Path.Combine(app, "MyApp", "bin", "Debug", "net10.0", "bpf", Path.GetFileNameWithoutExtension(ObjectFile(template)) + ".bpf.o")), "the build wrote no BPF object");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(app, "MyApp"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in device != null ? new[] { "run", "--no-build", "--", device, "3" } : new[] { "run", "--no-build", "--", "2" }) start.ArgumentList.Add(arg);
        foreach (var (name, value) in options.Environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        string first = process.StandardOutput.ReadLine() ?? "";
        Assert.StartsWith("counting", first);
        if (device != null) ExternalTool.Run("ping", "-c", "3", "-i", "0.2", "127.0.0.1").EnsureSuccess();
        string rest = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the app did not stop");
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        Assert.Contains(expected, rest);
        Assert.EndsWith("done", rest.TrimEnd());

        // Without root (issue #28): one line saying why and exit status 1, not an unhandled exception's stack trace and 134.
        var unprivileged = ExternalTool.RunDotnetAsNobody(Path.Combine(app, "MyApp", "bin", "Debug", "net10.0", "MyApp.dll"), device != null ? [device, "1"] : ["1"]);
        Assert.Equal(1, unprivileged.ExitCode);
        Assert.StartsWith("error: ", unprivileged.Stderr);
        Assert.Contains("EPERM", unprivileged.Stderr);
        Assert.DoesNotContain("Unhandled exception", unprivileged.Stderr);
    }

    [Fact]
    public void The_package_lists_three_templates()
    {
        var (_, options) = Install();
        var list = ExternalTool.Run(options, "dotnet", "new", "list", "bpf", "--debug:custom-hive", Path.Combine(_directory, "hive")).EnsureSuccess().Stdout;
        foreach (var name in new[] { "bpf-xdp", "bpf-tracing", "bpf-socket-filter" }) Assert.Contains(name, list);
    }

    private static string ObjectFile(string template) => template switch
    {
        "bpf-xdp" => "PacketCounter",
        "bpf-tracing" => "SyscallCounter",
        _ => "ByteCounter",
    };

    /// <summary>Packs CSharpBpf and the templates into a feed, installs the templates in the test's hive, and returns the
    /// app's directory and options that restore CSharpBpf from the feed only (a fresh package folder, so no older copy
    /// of 0.1.0 is used) and everything else from the machine's package cache or nuget.org.</summary>
    private (string App, ExternalTool.Options Options) Install()
    {
        string feed = Path.Combine(_directory, "feed");
        var quiet = PackageFeed.Quiet;
        PackageFeed.PackLibrary(feed);
        PackageFeed.PackTemplates(feed);
        ExternalTool.Run(quiet, "dotnet", "new", "install", Path.Combine(feed, "CSharpBpf.Templates.0.1.0.nupkg"), "--debug:custom-hive", Path.Combine(_directory, "hive")).EnsureSuccess();
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(_directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="cache" value="{cache}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="CSharpBpf" /><package pattern="CSharpBpf.*" /></packageSource>
                <packageSource key="cache"><package pattern="*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        return (Path.Combine(_directory, "MyApp"), quiet with { WorkingDirectory = _directory, Environment = new[] { ("NUGET_PACKAGES", Path.Combine(_directory, "packages")), ("DOTNET_NOLOGO", "1"), ("DOTNET_CLI_TELEMETRY_OPTOUT", "1") } });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
