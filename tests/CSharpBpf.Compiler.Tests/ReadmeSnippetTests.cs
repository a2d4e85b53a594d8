using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Issue #28: every [BpfObject] class the README shows compiles as written, with the usings a new project has,
/// and builds clean (no C# error, no BPF diagnostic that fails the build): a newcomer pastes them.</summary>
public sealed class ReadmeSnippetTests
{
    public static TheoryData<string> Classes()
    {
        var data = new TheoryData<string>();
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (Match block in Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline))
        {
            // The declarations before the class (structs it uses), then the class to its closing brace at column 0.
            var code = Regex.Match(block.Groups[1].Value, @"^(?:.*?\n)??(?=\[StructLayout|\[BpfObject\])(?<code>(?:\[StructLayout.*?\n\}\n\n?)*\[BpfObject\].*?\n\}\n)", RegexOptions.Singleline);
            if (code.Success) data.Add(code.Groups["code"].Value);
        }
        return data;
    }

    [Fact]
    public void The_readme_shows_bpf_objects() => Assert.True(Classes().Cast<object[]>().Count() >= 3);

    [Theory]
    [MemberData(nameof(Classes))]
    public void A_bpf_object_in_the_readme_compiles_and_builds_clean(string code)
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.Usings + "using System.Runtime.InteropServices;\n" + code);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(GeneratorHarness.AnalyzerDiagnostics(compilation).Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + code);
    }
}
