using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>Issue #15: the README's shell blocks marked runnable (an HTML comment "runnable" on the line before the
/// block, naming what the block prints when it works) run as a newcomer pastes them, in order, from the root of a fresh
/// clone, succeed, and print that. The clone keeps the
/// blocks' builds away from the assemblies the other tests are running; a .NET CLI home of the test's own gives the
/// newcomer's empty template list, while NuGet keeps the machine's package folder.</summary>
public sealed class ReadmeTests
{
    private static (string Code, string Expected)[] Runnable() =>
        Regex.Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")),
                @"<!-- runnable[^>]*looks for ""(?<expected>[^""]+)""[^>]*-->\n```sh\n(?<code>.*?)```", RegexOptions.Singleline)
            .Select(m => (m.Groups["code"].Value, m.Groups["expected"].Value)).ToArray();

    private static string[] RunnableBlocks() => Runnable().Select(b => b.Code).ToArray();

    [Fact]
    public void The_readme_marks_the_main_job_and_the_first_program_runnable()
    {
        var blocks = RunnableBlocks();
        // Every block marked runnable says what it prints, or it would not be run at all.
        Assert.Equal(Regex.Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")), "<!-- runnable").Count, blocks.Length);
        Assert.Contains(blocks, b => b.Contains("samples/syscount"));
        Assert.Contains(blocks, b => b.Contains("dotnet new bpf-xdp"));
    }

    [KernelFact]
    public void The_runnable_blocks_succeed_in_order_in_a_fresh_clone()
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-readme-").FullName;
        try
        {
            string clone = Path.Combine(directory, "repo"), home = Path.Combine(directory, "home");
            Directory.CreateDirectory(home);
            ExternalTool.Run("git", "clone", "--quiet", RepositoryPaths.Root, clone).EnsureSuccess();
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var options = new ExternalTool.Options(clone, 900, ("DOTNET_CLI_HOME", home), ("NUGET_PACKAGES", packages));
            foreach (var ((code, expected), index) in Runnable().Select((b, i) => (b, i)))
            {
                var result = ExternalTool.Run(options, "bash", "-euo", "pipefail", "-c", code);
                Assert.True(result.ExitCode == 0, $"README block {index} failed:\n{code}\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
                Assert.True(result.Stdout.Contains(expected, StringComparison.Ordinal), $"README block {index} did not print \"{expected}\":\n{code}\nstdout:\n{result.Stdout}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
