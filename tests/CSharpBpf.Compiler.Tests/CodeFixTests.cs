using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CSharpBpf.Analyzers;
using CSharpBpf.CodeFixes;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Each code fix, applied as the IDE applies it, leaves code with no diagnostic whose object the
/// kernel verifier accepts.</summary>
public sealed class CodeFixTests
{
    private const string NullCheckProgram = """
        [BpfObject]
        public static partial class P
        {
            static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                count += 1;
                return XdpAction.Pass;
            }
        }
        """;

    [KernelFact]
    public async Task Null_check_fix_inserts_the_check_the_verifier_wants() =>
        await AssertFixes(NullCheckProgram, new NullCheckCodeFix(), "BPF0015", "if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) return XdpAction.Pass;");

    [KernelFact]
    public async Task Object_declaration_fix_makes_the_class_static_partial() =>
        await AssertFixes(NullCheckProgram.Replace("public static partial class P", "public class P")
            .Replace("count += 1;", "if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) count += 1;"),
            new ModifierCodeFix(), "BPF0013", "public static partial class P");

    [KernelFact]
    public async Task Map_field_fix_makes_it_static_readonly() =>
        await AssertFixes(NullCheckProgram.Replace("static readonly BpfHashMap", "static BpfHashMap")
            .Replace("count += 1;", "if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) count += 1;"),
            new ModifierCodeFix(), "BPF0006", "static readonly BpfHashMap<uint, ulong> hits");

    [KernelFact]
    public async Task Unbounded_while_true_becomes_a_bounded_for() =>
        await AssertFixes("""
            [BpfObject]
            public static partial class P
            {
                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    int offset = 0;
                    while (true)
                    {
                        if (!ctx.TryRead(offset, out byte b) || b == 0) break;
                        offset++;
                    }
                    return offset > 10 ? XdpAction.Drop : XdpAction.Pass;
                }
            }
            """, new BoundedLoopCodeFix(), "BPF0002", "for (int iteration = 0; iteration < 256; iteration++)");

    [KernelFact]
    public async Task Program_signature_fix_makes_the_method_public_static() =>
        await AssertFixes(NullCheckProgram.Replace("public static XdpAction Run", "internal static XdpAction Run")
            .Replace("count += 1;", "if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) count += 1;"),
            new ProgramSignatureCodeFix(), "BPF0008", "public static XdpAction Run");

    private static async Task AssertFixes(string source, CodeFixProvider fix, string id, string expected)
    {
        string text = GeneratorHarness.Usings + source;
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("P", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true))
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .WithMetadataReferences(GeneratorHarness.Compile().References);
        var document = project.AddDocument("File0.cs", text);

        var before = await Analyze(document.Project);
        var diagnostic = Assert.Single(before, d => d.Id == id);
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var operation = (await Assert.Single(actions).GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
        var fixedDocument = operation.ChangedSolution.GetDocument(document.Id)!;
        string fixedText = (await fixedDocument.GetTextAsync()).ToString();
        Assert.Contains(expected, fixedText);

        Assert.Empty(await Analyze(fixedDocument.Project));
        using var loaded = BpfObjectFile.Open(GeneratorHarness.ObjectFile(fixedText), "fixed").Load();
        Assert.NotEmpty(loaded.Programs);
    }

    private static async Task<ImmutableArray<Diagnostic>> Analyze(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BpfObjectAnalyzer())).GetAnalyzerDiagnosticsAsync();
    }
}
