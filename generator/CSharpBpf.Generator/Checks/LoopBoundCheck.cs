using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// The verifier only accepts loops it can run to the end. A loop passes when its condition compares
    /// a counter with a constant, the counter moves towards that constant by a constant step, and the
    /// body never assigns the counter. Anything else (while(true) with a break, foreach, goto) is reported, except foreach
    /// over Bpf.Range (an open-coded iterator); so is a loop the verifier would run out of budget walking.
    /// </summary>
    internal static class LoopBoundCheck
    {
        public static IEnumerable<Diagnostic> Check(SyntaxNode body, SemanticModel model)
        {
            foreach (var node in body.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case ForStatementSyntax loop when !IsBounded(loop.Condition, loop.Incrementors, loop.Statement, model):
                        yield return Diagnostic.Create(BpfDiagnostics.UnboundedLoop, loop.ForKeyword.GetLocation());
                        break;
                    case ForStatementSyntax loop when TooLongToWalk(loop, model) is { } walk:
                        yield return walk;
                        break;
                    case WhileStatementSyntax loop when !IsBounded(loop.Condition, default, loop.Statement, model):
                        yield return Diagnostic.Create(BpfDiagnostics.UnboundedLoop, loop.WhileKeyword.GetLocation());
                        break;
                    case DoStatementSyntax loop when !IsBounded(loop.Condition, default, loop.Statement, model):
                        yield return Diagnostic.Create(BpfDiagnostics.UnboundedLoop, loop.DoKeyword.GetLocation());
                        break;
                    case ForEachStatementSyntax loop when IsBpfRange(loop.Expression, model):
                        break; // an open-coded iterator: the kernel bounds it (the lowering makes its body converge)
                    case CommonForEachStatementSyntax loop:
                        yield return Diagnostic.Create(BpfDiagnostics.Unsupported, loop.ForEachKeyword.GetLocation(), "foreach",
                            "enumerators are managed objects: use for (int i = 0; i < N; i++), or foreach (int i in Bpf.Range(0, N)) for a loop the verifier checks once");
                        break;
                    case GotoStatementSyntax jump:
                        yield return Diagnostic.Create(BpfDiagnostics.Unsupported, jump.GetLocation(), "goto", "use structured loops with a provable bound");
                        break;
                }
            }
        }

        private static bool IsBounded(ExpressionSyntax? condition, SeparatedSyntaxList<ExpressionSyntax> incrementors, StatementSyntax body, SemanticModel model)
        {
            if (condition is not BinaryExpressionSyntax comparison) return false;
            ISymbol? counter;
            bool counterOnLeft;
            if (IsConstant(comparison.Right, model)) { counter = model.GetSymbolInfo(comparison.Left).Symbol; counterOnLeft = true; }
            else if (IsConstant(comparison.Left, model)) { counter = model.GetSymbolInfo(comparison.Right).Symbol; counterOnLeft = false; }
            else return false;
            if (counter is not ILocalSymbol && counter is not IParameterSymbol) return false;

            // Which way the counter must move: i < N and i <= N need it to grow, i > N and i >= N to shrink.
            var kind = comparison.Kind();
            if (!counterOnLeft) kind = Flip(kind);
            int direction = kind switch
            {
                // `i != N` is left out: a step that jumps over N (or a start beyond it) never ends.
                SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression => 1,
                SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression => -1,
                _ => 0,
            };
            if (direction == 0) return false;

            var steps = incrementors.Concat(body.DescendantNodes().OfType<ExpressionSyntax>())
                .Select(e => Step(e, counter, model)).Where(s => s != null).ToList();
            if (steps.Count == 0) return false;
            return steps.All(s => s == direction);
        }

        private static SyntaxKind Flip(SyntaxKind kind) => kind switch
        {
            SyntaxKind.LessThanExpression => SyntaxKind.GreaterThanExpression,
            SyntaxKind.LessThanOrEqualExpression => SyntaxKind.GreaterThanOrEqualExpression,
            SyntaxKind.GreaterThanExpression => SyntaxKind.LessThanExpression,
            SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.LessThanOrEqualExpression,
            _ => kind,
        };

        /// <summary>+1/-1 when <paramref name="expression"/> steps the counter by a positive constant up/down,
        /// 0 for any other write to it (which defeats the bound), null when it does not touch the counter.</summary>
        private static int? Step(ExpressionSyntax expression, ISymbol counter, SemanticModel model)
        {
            bool IsCounter(ExpressionSyntax e) => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e).Symbol, counter);
            switch (expression)
            {
                case PostfixUnaryExpressionSyntax u when IsCounter(u.Operand):
                    return u.IsKind(SyntaxKind.PostIncrementExpression) ? 1 : -1;
                case PrefixUnaryExpressionSyntax u when (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && IsCounter(u.Operand):
                    return u.IsKind(SyntaxKind.PreIncrementExpression) ? 1 : -1;
                case AssignmentExpressionSyntax a when IsCounter(a.Left):
                    if (!IsConstant(a.Right, model) || model.GetConstantValue(a.Right).Value is not int step || step <= 0) return 0;
                    return a.IsKind(SyntaxKind.AddAssignmentExpression) ? 1 : a.IsKind(SyntaxKind.SubtractAssignmentExpression) ? -1 : 0;
                default:
                    if (expression.Parent is ArgumentSyntax arg && arg.RefKindKeyword.Text is "ref" or "out" && IsCounter(expression)) return 0;
                    return null;
            }
        }

        private const long WalkBudget = 1_000_000 / 2; // the verifier's instruction budget, at 2 instructions per iteration at least
        private const long BranchyWalk = 4096;

        /// <summary>BPF0032 when the verifier certainly runs out walking this loop: with the counter exact, it processes every
        /// iteration (of this loop times the enclosing ones), each at least the test and the step; the warning BPF0033 when a
        /// loop of thousands of iterations branches, which multiplies the paths it follows. A loop that may leave early
        /// (break, return) is left alone: the verifier may see it leave.</summary>
        private static Diagnostic? TooLongToWalk(ForStatementSyntax loop, SemanticModel model)
        {
            if (Iterations(loop, model) is not long own) return null;
            long enclosing = 1;
            foreach (var outer in loop.Ancestors().TakeWhile(a => a is not MemberDeclarationSyntax).OfType<ForStatementSyntax>())
                if (Iterations(outer, model) is long n) enclosing *= n;
            long total = own * enclosing;
            var body = loop.Statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).ToList();
            // A loop that may leave early is left alone (the verifier may see it leave); the enclosing loop reports what it can.
            if (body.Any(n => n is ReturnStatementSyntax or GotoStatementSyntax || (n is BreakStatementSyntax && Owner(n) == loop)))
                return null;
            var descriptor = total > WalkBudget ? (enclosing <= WalkBudget ? BpfDiagnostics.LoopTooLongToVerify : null)
                // Measured here: one data-dependent branch in 5,000 iterations runs out of instructions, 8,192 of pending branches.
                : total >= BranchyWalk && enclosing < BranchyWalk && body.Any(n => n is IfStatementSyntax or SwitchStatementSyntax or SwitchExpressionSyntax or ConditionalExpressionSyntax
                    || n.IsKind(SyntaxKind.LogicalAndExpression) || n.IsKind(SyntaxKind.LogicalOrExpression)) ? BpfDiagnostics.BranchyLoopMayExhaustVerifier
                : null;
            if (descriptor == null) return null;
            var declarator = loop.Declaration!.Variables[0];
            var condition = (BinaryExpressionSyntax)loop.Condition!;
            return Diagnostic.Create(descriptor, loop.ForKeyword.GetLocation(),
                total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), declarator.Identifier.Text,
                declarator.Initializer!.Value.ToString(), condition.IsKind(SyntaxKind.LessThanOrEqualExpression) ? condition.Right + " + 1" : condition.Right.ToString());
        }

        /// <summary>The trip count of <c>for (int i = A; i &lt; B; i += k)</c> (or ≤, &gt;, ≥, ++, --) with constants A, B, k; else null.</summary>
        public static long? Iterations(ForStatementSyntax loop, SemanticModel model)
        {
            if (loop.Declaration is not { Variables.Count: 1 } declaration || declaration.Variables[0].Initializer is not { } initializer
                || model.GetConstantValue(initializer.Value).Value is not int start
                || loop.Condition is not BinaryExpressionSyntax condition || model.GetConstantValue(condition.Right).Value is not int bound
                || model.GetSymbolInfo(condition.Left).Symbol is not ILocalSymbol counter || counter.Name != declaration.Variables[0].Identifier.Text
                || loop.Incrementors.Count != 1 || Step(loop.Incrementors[0], counter, model) is not int direction)
                return null;
            long step = loop.Incrementors[0] is AssignmentExpressionSyntax a && model.GetConstantValue(a.Right).Value is int k ? k : 1;
            long span = condition.Kind() switch
            {
                SyntaxKind.LessThanExpression when direction > 0 => (long)bound - start,
                SyntaxKind.LessThanOrEqualExpression when direction > 0 => (long)bound - start + 1,
                SyntaxKind.GreaterThanExpression when direction < 0 => (long)start - bound,
                SyntaxKind.GreaterThanOrEqualExpression when direction < 0 => (long)start - bound + 1,
                _ => 0,
            };
            return span <= 0 ? 0 : (span + step - 1) / step;
        }

        /// <summary>The loop or switch a break leaves.</summary>
        public static SyntaxNode? Owner(SyntaxNode jump) =>
            jump.Ancestors().FirstOrDefault(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax);

        /// <summary>True for <c>Bpf.Range(from, to)</c>.</summary>
        public static bool IsBpfRange(ExpressionSyntax expression, SemanticModel model) =>
            model.GetSymbolInfo(expression).Symbol is IMethodSymbol { Name: "Range" } method && method.ContainingType.ToDisplayString() == "CSharpBpf.Bpf";

        private static bool IsConstant(ExpressionSyntax e, SemanticModel model) => model.GetConstantValue(e).HasValue;
    }
}
