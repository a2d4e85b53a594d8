using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.CodeFixes
{
    /// <summary>BPF0015: inserts <c>if (Unsafe.IsNullRef(ref x)) return …;</c> right after the ref local's declaration,
    /// returning what the program kind passes on (XdpAction.Pass, TcAction.Ok, 0).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class NullCheckCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("BPF0015");

        /// <inheritdoc/>
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null || model == null) return;
            var use = root.FindNode(context.Diagnostics[0].Location.SourceSpan);
            var local = use.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                .Select(i => model.GetSymbolInfo(i).Symbol).OfType<ILocalSymbol>().FirstOrDefault(l => l.IsRef);
            var declaration = local?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<LocalDeclarationStatementSyntax>();
            var method = declaration?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (local == null || declaration == null || method == null) return;
            context.RegisterCodeFix(
                CodeAction.Create($"Return early when '{local.Name}' is null", token => Insert(context.Document, root, declaration, local.Name, method, token), nameof(NullCheckCodeFix)),
                context.Diagnostics);
        }

        private static Task<Document> Insert(Document document, SyntaxNode root, LocalDeclarationStatementSyntax declaration, string name, MethodDeclarationSyntax method, CancellationToken token)
        {
            string returned = method.ReturnType.ToString() switch
            {
                "void" => "",
                "XdpAction" or "CSharpBpf.XdpAction" => " XdpAction.Pass",
                "TcAction" or "CSharpBpf.TcAction" => " TcAction.Ok",
                "int" or "uint" or "long" or "ulong" => " 0",
                _ => " default",
            };
            var check = SyntaxFactory.ParseStatement($"if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref {name})) return{returned};")
                .WithLeadingTrivia(declaration.GetLeadingTrivia())
                .WithTrailingTrivia(declaration.GetTrailingTrivia()); // the file's own line ending
            return Task.FromResult(document.WithSyntaxRoot(root.InsertNodesAfter(declaration, new[] { check })));
        }
    }
}
