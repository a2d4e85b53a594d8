using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>Issue #15: the README's shell blocks marked runnable (an HTML comment "runnable" on the line before the
/// block) run as a newcomer pastes them, from the repository root, and succeed.</summary>
public sealed class ReadmeTests
{
    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < RunnableBlocks().Length; i++) data.Add(i);
        return data;
    }

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

    [KernelTheory]
    [MemberData(nameof(Blocks))]
    public void A_runnable_block_succeeds(int index)
    {
        string code = RunnableBlocks()[index];
        string home = Directory.CreateTempSubdirectory("csbpf-readme-").FullName;
        try
        {
            var options = new ExternalTool.Options(RepositoryPaths.Root, 900, ("DOTNET_CLI_HOME", home));
            var result = ExternalTool.Run(options, "bash", "-euo", "pipefail", "-c", code);
            Assert.True(result.ExitCode == 0, $"README block {index} failed:\n{code}\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
            Assert.Matches(@"done|@latency_ns:", result.Stdout);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
