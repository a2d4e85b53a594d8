using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>
/// The whole road a user takes: a new console project whose only dependency is the CSharpBpf package
/// (packed from this build into a private feed) holds the firewall of DESIGN.md §2; `dotnet build`
/// compiles it to bin/…/bpf/Firewall.bpf.o, which bpftool loads, and the program's skeleton drops
/// the blocked address in BPF_PROG_TEST_RUN.
/// </summary>
public sealed class NewProjectTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly string _directory = Directory.CreateTempSubdirectory("csharpbpf-new-project-").FullName;

    [KernelFact]
    public void Firewall_console_project_builds_an_object_bpftool_loads_and_that_drops_the_blocked_address()
    {
        string feed = Path.Combine(_directory, "feed");
        var quiet = new ExternalTool.Options(TimeoutSeconds: 300, Environment: new[] { ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"), ("DOTNET_NOLOGO", "1") });
        ExternalTool.Run(quiet, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "src", "CSharpBpf"), "-c", Configuration, "--no-build", "-o", feed).EnsureSuccess();

        string app = Path.Combine(_directory, "app");
        Directory.CreateDirectory(app);
        foreach (var file in new[] { "Firewall.csproj", "Firewall.cs", "Program.cs" })
            File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", file), Path.Combine(app, file));
        File.WriteAllText(Path.Combine(app, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        // A private package folder, so this build's package is used and not one cached earlier.
        var isolated = quiet with { WorkingDirectory = app, Environment = new[] { ("NUGET_PACKAGES", Path.Combine(_directory, "packages")), ("DOTNET_NOLOGO", "1") } };

        var build = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
        string obj = Path.Combine(app, "bin", "Release", "net10.0", "bpf", "Firewall.bpf.o");
        Assert.True(File.Exists(obj), $"the build did not write {obj}:\n{build.Stdout}");

        string pin = "/sys/fs/bpf/csharpbpf-new-project-" + Environment.ProcessId;
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", obj, pin).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(pin, "Filter")), "bpftool pinned no program 'Filter'");
        }
        finally
        {
            if (Directory.Exists(pin)) Directory.Delete(pin, recursive: true);
        }

        var run = ExternalTool.Run(isolated, "dotnet", "run", "-c", "Release", "--no-build").EnsureSuccess();
        Assert.Contains("from 10.0.0.1: Drop", run.Stdout);
        Assert.Contains("from 10.0.0.2: Pass", run.Stdout);
        Assert.Contains("drops counted for 10.0.0.1: 1", run.Stdout);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
