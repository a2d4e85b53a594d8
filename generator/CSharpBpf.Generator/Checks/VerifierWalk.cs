using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Frontend;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// What the verifier's walk of a program costs, estimated from the source before it loads. The verifier follows one
    /// path to the end first (do_check), pushing the other side of every test it cannot decide; more than 8,192 pushed at
    /// once and it gives up ("The sequence of 8193 jumps is too complex", BPF_COMPLEXITY_LIMIT_JMP_SEQ). Along that path a
    /// walked for loop pushes its body's tests once per iteration, and a call of one of the object's static methods pushes
    /// the callee's tests at every call (the verifier checks a static subprogram again at each call site, and
    /// [BpfGlobalFunction]s once on their own). So the tests on that path multiply through loops and calls: a loop of 80
    /// calling a method whose loop of 40 tests what a method of five comparisons returns is 80 × 40 × (5 + 1) tests.
    /// </summary>
    internal sealed class VerifierWalk
    {
        /// <summary>BPF_COMPLEXITY_LIMIT_JMP_SEQ (kernel/bpf/verifier.c).</summary>
        public const long PendingLimit = 8192;

        /// <summary>The estimate takes the costlier arm of every branch, where the verifier's first path takes the one laid out
        /// next: measured on 10,000 random programs (fuzzer seed 20261212), programs estimated up to 2.3× the limit loaded
        /// (18,858), those refused for pending tests were estimated at 2.3× and 3.7×. Reported from twice the limit.</summary>
        public const long ReportedAbove = 2 * PendingLimit;

        private readonly Compilation _compilation;
        private readonly INamedTypeSymbol _objectType;
        private readonly Dictionary<IMethodSymbol, long> _methods = new Dictionary<IMethodSymbol, long>(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _walking = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

        public VerifierWalk(Compilation compilation, INamedTypeSymbol objectType)
        {
            _compilation = compilation;
            _objectType = objectType;
        }

        /// <summary>BPF0037 when the tests on the verifier's first path through <paramref name="program"/> exceed what it can
        /// keep pending, at the first loop or call that pushes more than half of them.</summary>
        public Diagnostic? Check(IMethodSymbol program)
        {
            if (Body(program) is not { } body) return null;
            var model = _compilation.GetSemanticModel(body.SyntaxTree);
            long total = Tests(body, model);
            if (total <= ReportedAbove) return null;
            // Point at the outermost construct that carries most of it: a walked loop or a call.
            var culprit = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .Where(n => n is ForStatementSyntax || n is InvocationExpressionSyntax && CalledMethod(n, model) != null)
                .Select(n => (Node: n, Tests: Tests(n, model))).Where(c => c.Tests * 2 > total)
                .OrderBy(c => c.Node.SpanStart).Select(c => c.Node).FirstOrDefault() ?? body;
            var location = culprit switch
            {
                ForStatementSyntax loop => loop.ForKeyword.GetLocation(),
                _ => culprit == body ? program.Locations.FirstOrDefault() : culprit.GetLocation(),
            };
            return Diagnostic.Create(BpfDiagnostics.WalkTooLong, location, program.Name, Count(total));
        }

        private static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The tests a call of <paramref name="method"/> pushes (0 for a global function: checked once, on its own).</summary>
        public long Tests(IMethodSymbol method)
        {
            if (ObjectScope.IsGlobalFunction(method) || Body(method) is not { } body) return 0;
            if (_methods.TryGetValue(method, out long known)) return known;
            if (!_walking.Add(method)) return 0; // recursion is refused on its own (BPF0004)
            long tests = Tests(body, _compilation.GetSemanticModel(body.SyntaxTree));
            _walking.Remove(method);
            _methods[method] = tests;
            return tests;
        }

        private static SyntaxNode? Body(IMethodSymbol method) =>
            method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax declaration ? (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody : null;

        private IMethodSymbol? CalledMethod(SyntaxNode node, SemanticModel model) =>
            node is InvocationExpressionSyntax && model.GetSymbolInfo(node).Symbol is IMethodSymbol method
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, _objectType) ? method : null;

        /// <summary>The tests the verifier pushes following <paramref name="node"/> along its first path: each test on data,
        /// the most any one arm of a branch pushes, loops times their iterations, calls as their callees.</summary>
        private long Tests(SyntaxNode node, SemanticModel model)
        {
            switch (node)
            {
                case IfStatementSyntax s:
                    return Add(Condition(s.Condition, model), System.Math.Max(Tests(s.Statement, model), s.Else == null ? 0 : Tests(s.Else.Statement, model)));
                case ConditionalExpressionSyntax c:
                    return Add(Condition(c.Condition, model), System.Math.Max(Tests(c.WhenTrue, model), Tests(c.WhenFalse, model)));
                case SwitchStatementSyntax s:
                    return Add(Tests(s.Expression, model), Add(CarriedLoops.IsDecided(s.Expression, model) ? 0 : s.Sections.SelectMany(x => x.Labels).Sum(l => Compares(l)),
                        s.Sections.Select(x => x.Statements.Aggregate(0L, (sum, st) => Add(sum, Tests(st, model)))).DefaultIfEmpty(0).Max()));
                case SwitchExpressionSyntax s:
                    return Add(Tests(s.GoverningExpression, model), Add(CarriedLoops.IsDecided(s.GoverningExpression, model) ? 0 : s.Arms.Sum(a => Compares(a.Pattern)),
                        s.Arms.Select(a => Tests(a.Expression, model)).DefaultIfEmpty(0).Max()));
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) || b.IsKind(SyntaxKind.CoalesceExpression):
                    return Condition(b, model);
                case ForStatementSyntax loop:
                {
                    long iterations = LoopBoundCheck.Iterations(loop, model) ?? 1;
                    long each = Add(loop.Condition == null || CarriedLoops.IsDecided(loop.Condition, model) ? 0 : Condition(loop.Condition, model), Tests(loop.Statement, model));
                    foreach (var step in loop.Incrementors) each = Add(each, Tests(step, model));
                    long before = loop.Initializers.Aggregate(0L, (sum, e) => Add(sum, Tests(e, model)));
                    if (loop.Declaration != null) before = Add(before, Tests(loop.Declaration, model));
                    return Add(before, Multiply(iterations, each));
                }
                case InvocationExpressionSyntax call:
                {
                    long arguments = call.ArgumentList.Arguments.Aggregate(0L, (sum, a) => Add(sum, Tests(a.Expression, model)));
                    if (call.Expression is MemberAccessExpressionSyntax member) arguments = Add(arguments, Tests(member.Expression, model));
                    return CalledMethod(call, model) is { } callee ? Add(arguments, Tests(callee)) : arguments;
                }
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return 0;
                default:
                    return node.ChildNodes().Aggregate(0L, (sum, child) => Add(sum, Tests(child, model)));
            }
        }

        /// <summary>The tests of a condition: one for each operand of &amp;&amp;, || and ! that reads data, with what its parts push.</summary>
        private long Condition(ExpressionSyntax condition, SemanticModel model)
        {
            switch (condition)
            {
                case ParenthesizedExpressionSyntax p:
                    return Condition(p.Expression, model);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                    return Condition(u.Operand, model);
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression):
                    return Add(Condition(b.Left, model), Condition(b.Right, model));
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.CoalesceExpression):
                    return Add(Add(Tests(b.Left, model), 1), Tests(b.Right, model));
                default:
                    return Add(Tests(condition, model), CarriedLoops.IsDecided(condition, model) ? 0 : 1);
            }
        }

        /// <summary>The comparisons a case label or an arm's pattern makes (a range pattern two, `or` the sum, a discard none).</summary>
        private static long Compares(SyntaxNode pattern) => pattern switch
        {
            DefaultSwitchLabelSyntax or DiscardPatternSyntax => 0,
            CasePatternSwitchLabelSyntax label => Compares(label.Pattern),
            BinaryPatternSyntax binary => Compares(binary.Left) + Compares(binary.Right),
            ParenthesizedPatternSyntax parenthesized => Compares(parenthesized.Pattern),
            _ => 1,
        };

        private static long Add(long a, long b) => System.Math.Min(a + b, long.MaxValue / 4);

        private static long Multiply(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / 4 / b ? long.MaxValue / 4 : a * b;
    }
}
