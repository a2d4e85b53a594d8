using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>Issue #15: csbpf ships as a .NET tool package that installs from a feed, says its version, and completes its
/// commands in bash through the script `csbpf completion bash` prints.</summary>
public sealed class ToolPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly string _directory = Directory.CreateTempSubdirectory("csbpf-tool-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Installs_as_a_tool_prints_its_version_and_completes_in_bash()
    {
        string feed = Path.Combine(_directory, "feed"), tools = Path.Combine(_directory, "tools");
        var quiet = new ExternalTool.Options(TimeoutSeconds: 300, Environment: new[]
        {
            ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"), ("DOTNET_NOLOGO", "1"), ("NUGET_PACKAGES", Path.Combine(_directory, "packages")),
        });
        ExternalTool.Run(quiet, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "src", "CSharpBpf.Cli"), "-c", Configuration, "--no-build", "-o", feed).EnsureSuccess();
        string config = Path.Combine(_directory, "nuget.config");
        File.WriteAllText(config, $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        ExternalTool.Run(quiet, "dotnet", "tool", "install", "csbpf", "--tool-path", tools, "--configfile", config, "--version", "0.1.0").EnsureSuccess();

        string csbpf = Path.Combine(tools, "csbpf");
        Assert.StartsWith("0.1.0", ExternalTool.Run(quiet, csbpf, "--version").EnsureSuccess().Stdout.Trim());

        string script = Path.Combine(_directory, "complete.sh");
        File.WriteAllText(script, """
            eval "$(csbpf completion bash)"
            COMP_LINE="csbpf pro"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(csbpf pro); COMP_CWORD=1
            _csbpf_complete; echo "first: ${COMPREPLY[*]}"
            COMP_LINE="csbpf prog s"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(csbpf prog s); COMP_CWORD=2
            _csbpf_complete; echo "second: ${COMPREPLY[*]}"
            """);
        var completed = ExternalTool.Run(quiet with { Environment = new[] { ("PATH", tools + ":" + Environment.GetEnvironmentVariable("PATH")) } }, "bash", script).EnsureSuccess();
        Assert.Contains("first: prog", completed.Stdout);
        Assert.Contains("second: show", completed.Stdout);
    }
}
