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
    /// <summary>BPF0013: makes the [BpfObject] class <c>static partial</c>, and BPF0006: makes a map field
    /// <c>static readonly</c> — the modifiers the generator needs, added where missing.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    public sealed class ModifierCodeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("BPF0013", "BPF0006");

        /// <inheritdoc/>
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            var node = root.FindNode(context.Diagnostics[0].Location.SourceSpan);
            if (context.Diagnostics[0].Id == "BPF0013" && node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } type)
            {
                var fixedType = type.WithModifiers(AddMissing(type.Modifiers, SyntaxKind.StaticKeyword, SyntaxKind.PartialKeyword));
                context.RegisterCodeFix(CodeAction.Create($"Make '{type.Identifier.Text}' static partial",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, fixedType))), "BPF0013"), context.Diagnostics);
            }
            else if (context.Diagnostics[0].Id == "BPF0006" && node.FirstAncestorOrSelf<FieldDeclarationSyntax>() is { } field
                     && !(field.Modifiers.Any(SyntaxKind.StaticKeyword) && field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword)))
            {
                var fixedField = field.WithModifiers(AddMissing(field.Modifiers, SyntaxKind.StaticKeyword, SyntaxKind.ReadOnlyKeyword));
                context.RegisterCodeFix(CodeAction.Create("Make the map field static readonly",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(field, fixedField))), "BPF0006"), context.Diagnostics);
            }
        }

        // Keeps the existing modifiers (and their trivia) and appends the missing ones in C#'s usual order.
        private static SyntaxTokenList AddMissing(SyntaxTokenList modifiers, params SyntaxKind[] wanted)
        {
            foreach (var kind in wanted)
                if (!modifiers.Any(kind)) modifiers = modifiers.Add(SyntaxFactory.Token(kind).WithTrailingTrivia(SyntaxFactory.Space));
            return modifiers;
        }
    }
}
