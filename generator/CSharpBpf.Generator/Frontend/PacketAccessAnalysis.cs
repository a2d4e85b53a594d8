using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>
    /// What a method does to its packet, read from its syntax before lowering, so the lowering may
    /// (a) load data/data_end once when nothing can move the packet and the method has no loop, and (b) read a header that
    /// TryRead declared straight from the packet instead of copying it to the stack, when the packet
    /// is never written and the header is only read on the path where TryRead succeeded.
    /// </summary>
    internal sealed class PacketAccessAnalysis
    {
        private static readonly HashSet<string> Moves = new HashSet<string> { "AdjustHead", "AdjustTail", "TryStore" };
        private static readonly HashSet<string> Writes = new HashSet<string> { "AdjustHead", "AdjustTail", "TryStore", "TryWrite", "GetRefOrNullRef" };

        public PacketAccessAnalysis(SyntaxNode body, SemanticModel model, INamedTypeSymbol objectType, KnownTypes known, ISet<ISymbol> addressTaken)
        {
            var calls = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Select(c => (Syntax: c, Method: model.GetSymbolInfo(c).Symbol as IMethodSymbol)).Where(c => c.Method != null).ToList();
            bool IsContext(ITypeSymbol? t) => KnownTypes.Is(t, known.XdpContext) || KnownTypes.Is(t, known.SkBuff);
            bool callsOwnWithContext = calls.Any(c => SymbolEqualityComparer.Default.Equals(c.Method!.ContainingType, objectType) && c.Method.Parameters.Any(p => IsContext(p.Type)));
            PacketMayMove = callsOwnWithContext || calls.Any(c => IsContext(c.Method!.ContainingType) && Moves.Contains(c.Method.Name));
            HasLoops = body.DescendantNodes().Any(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or CommonForEachStatementSyntax);
            bool packetWritten = callsOwnWithContext || calls.Any(c => IsContext(c.Method!.ContainingType) && Writes.Contains(c.Method.Name));
            if (packetWritten) return;

            foreach (var (call, method) in calls.Where(c => c.Method!.Name == "TryRead" && IsContext(c.Method.ContainingType)))
            {
                if (call.ArgumentList.Arguments.Count != 2 || call.ArgumentList.Arguments[1].Expression is not DeclarationExpressionSyntax declaration) continue;
                if (declaration.Designation is not SingleVariableDesignationSyntax designation || model.GetDeclaredSymbol(designation) is not ILocalSymbol local || TypeLayout.IsScalar(local.Type) || addressTaken.Contains(local)) continue;
                if (GuardsTheRest(call, local, model) && !IsWritten(body, local, model)) AliasedHeaders.Add(local);
            }
        }

        /// <summary>True when nothing in the method can move the packet (so data/data_end stay valid).</summary>
        public bool PacketMayMove { get; }

        /// <summary>True when the method has a loop: then each packet access loads data and data_end afresh. The verifier
        /// keeps the range a bounds test proves on the packet pointer for as long as it lives, so a pointer loaded once
        /// and kept makes paths that proved different ranges (one wrote byte 42 through GetRefOrNullRef, the other did not)
        /// states it cannot prune, and a loop it walks multiplies them: a fuzzer program of 40 iterations took over a
        /// million instructions with the pointer kept, 265,486 with a fresh one at each access (reloading it only where the
        /// loop starts: 876,769).</summary>
        public bool HasLoops { get; }

        /// <summary>Locals declared by TryRead that can be read in place in the packet.</summary>
        public HashSet<ILocalSymbol> AliasedHeaders { get; } = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

        // `if (!ctx.TryRead(o, out T v) || …) return …;` with no else: v is only read where TryRead succeeded.
        private static bool GuardsTheRest(InvocationExpressionSyntax call, ILocalSymbol local, SemanticModel model)
        {
            if (call.Parent is not PrefixUnaryExpressionSyntax not || !not.IsKind(SyntaxKind.LogicalNotExpression)) return false;
            SyntaxNode current = not;
            while (current.Parent is BinaryExpressionSyntax or && or.IsKind(SyntaxKind.LogicalOrExpression) && or.Left == current) current = or;
            while (current.Parent is ParenthesizedExpressionSyntax) current = current.Parent;
            if (current.Parent is not IfStatementSyntax guard || guard.Condition != current || guard.Else != null) return false;
            var exit = guard.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : guard.Statement;
            if (exit is not (ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax)) return false;
            return !exit.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i).Symbol, local));
        }

        private static bool IsWritten(SyntaxNode body, ILocalSymbol local, SemanticModel model)
        {
            bool RootIs(ExpressionSyntax e)
            {
                while (true)
                {
                    switch (e)
                    {
                        case MemberAccessExpressionSyntax m: e = m.Expression; continue;
                        case ElementAccessExpressionSyntax a: e = a.Expression; continue;
                        case ParenthesizedExpressionSyntax p: e = p.Expression; continue;
                    }
                    return SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e).Symbol, local);
                }
            }
            foreach (var node in body.DescendantNodes())
            {
                switch (node)
                {
                    case AssignmentExpressionSyntax a when RootIs(a.Left):
                    case PostfixUnaryExpressionSyntax p when RootIs(p.Operand):
                    case PrefixUnaryExpressionSyntax u when (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && RootIs(u.Operand):
                    case ArgumentSyntax r when r.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) && RootIs(r.Expression):
                    case RefExpressionSyntax x when RootIs(x.Expression):
                        return true;
                }
            }
            return false;
        }
    }
}
