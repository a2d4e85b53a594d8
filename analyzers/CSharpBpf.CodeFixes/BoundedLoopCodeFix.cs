using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.CodeFixes
{
    /// <summary>BPF0002 on <c>while (true)</c>: turns it into <c>for (int iteration = 0; iteration &lt; 256; iteration++)</c>,
    /// a bound the verifier can see; the body (and its breaks) stays as it was. Pick the bound the data needs.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class BoundedLoopCodeFix : CodeFixProvider
    {
        /// <summary>The bound the fix writes.</summary>
        public const int Bound = 256;

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("BPF0002");

        /// <inheritdoc/>
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindToken(context.Diagnostics[0].Location.SourceSpan.Start).Parent is not WhileStatementSyntax loop
                || !loop.Condition.IsKind(SyntaxKind.TrueLiteralExpression)) return;
            var bounded = SyntaxFactory.ParseStatement($"for (int iteration = 0; iteration < {Bound}; iteration++) {{ }}")
                .WithLeadingTrivia(loop.GetLeadingTrivia());
            var header = (ForStatementSyntax)bounded;
            var forLoop = header.WithCloseParenToken(header.CloseParenToken.WithTrailingTrivia(loop.CloseParenToken.TrailingTrivia)) // keep the line break before the body
                .WithStatement(loop.Statement).WithTrailingTrivia(loop.GetTrailingTrivia());
            context.RegisterCodeFix(CodeAction.Create($"Bound the loop to {Bound} iterations",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(loop, forLoop))), nameof(BoundedLoopCodeFix)), context.Diagnostics);
        }
    }
}
