using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.CodeFixes
{
    /// <summary>BPF0008 when only the modifiers are wrong: makes the program method <c>public static</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class ProgramSignatureCodeFix : CodeFixProvider
    {
        private static readonly SyntaxKind[] Accessibility = { SyntaxKind.PrivateKeyword, SyntaxKind.InternalKeyword, SyntaxKind.ProtectedKeyword };

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("BPF0008");

        /// <inheritdoc/>
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindToken(context.Diagnostics[0].Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method) return;
            var modifiers = method.Modifiers;
            if (modifiers.Any(SyntaxKind.PublicKeyword) && modifiers.Any(SyntaxKind.StaticKeyword)) return; // the types are wrong: nothing mechanical
            var kept = modifiers.Where(m => !Accessibility.Contains(m.Kind()) && !m.IsKind(SyntaxKind.StaticKeyword));
            var fixedModifiers = SyntaxFactory.TokenList(new[]
            {
                // The first modifier carries the declaration's indentation.
                SyntaxFactory.Token(SyntaxKind.PublicKeyword).WithLeadingTrivia(modifiers.FirstOrDefault().LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space),
            }.Concat(kept));
            var fixedMethod = method.WithModifiers(fixedModifiers);
            context.RegisterCodeFix(CodeAction.Create($"Make '{method.Identifier.Text}' public static",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(method, fixedMethod))), nameof(ProgramSignatureCodeFix)), context.Diagnostics);
        }
    }
}
