using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>An edit outside a [BpfObject] does no work: the compile step is not re-run and its output is cached.</summary>
public sealed class IncrementalityTests
{
    private const string Object = GeneratorHarness.Usings + "[BpfObject] public static partial class P { [Xdp] public static XdpAction Run(XdpContext ctx) => ctx.Length > 60 ? XdpAction.Drop : XdpAction.Pass; }";

    [Fact]
    public void Editing_another_file_reuses_the_compiled_object()
    {
        var compilation = GeneratorHarness.Compile(Object, "public static class Other { public static int F() => 1; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var other = compilation.SyntaxTrees.Single(t => t.FilePath == "File1.cs");
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public static class Other { public static int F() => 2; }", GeneratorHarness.ParseOptions, path: "File1.cs"));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps["BpfObjects"];
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step ran again: {o.Reason}"));
    }

    [Fact]
    public void Editing_the_object_compiles_it_again()
    {
        var compilation = GeneratorHarness.Compile(Object);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Object.Replace("> 60", "> 61"), GeneratorHarness.ParseOptions, path: tree.FilePath));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps["BpfObjects"];
        Assert.Contains(steps.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
