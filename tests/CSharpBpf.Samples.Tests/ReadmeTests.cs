using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>Issue #15: the README's shell blocks marked runnable (an HTML comment "runnable" on the line before the
/// block) run as a newcomer pastes them, in order, from the root of a fresh clone, and succeed. The clone keeps the
/// blocks' builds away from the assemblies the other tests are running; a .NET CLI home of the test's own gives the
/// newcomer's empty template list, while NuGet keeps the machine's package folder.</summary>
public sealed class ReadmeTests
{
    private static string[] RunnableBlocks() =>
        Regex.Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")), @"<!-- runnable[^>]*-->\n```sh\n(?<code>.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups["code"].Value).ToArray();

    [Fact]
    public void The_readme_marks_the_main_job_and_the_first_program_runnable()
    {
        var blocks = RunnableBlocks();
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
            foreach (var (code, index) in RunnableBlocks().Select((c, i) => (c, i)))
            {
                var result = ExternalTool.Run(options, "bash", "-euo", "pipefail", "-c", code);
                Assert.True(result.ExitCode == 0, $"README block {index} failed:\n{code}\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
                Assert.Matches(@"done|@latency_ns:", result.Stdout);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
