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

        /// <summary>Where BPF0038 starts, in estimated instructions; the verifier gives up after 1,000,000 it checked
        /// (BPF_COMPLEXITY_LIMIT_INSNS, kernel/bpf/verifier.c). The estimate counts each path once, where the verifier checks a
        /// path again for every state it could not merge with one it has seen (it saves states to compare with only every 20
        /// jumps inside a loop; values refined by tests on data keep states apart). Measured on the random programs of fuzzer
        /// seeds 20261214, 20261216 and 20261217, Linux 6.18 checked a median 2.7 times the estimate (10th percentile 0.7, 90th
        /// 7.1); of the 13 programs it refused as too large, the 10 this reports were estimated at 70,270 to 1,686,164. About
        /// 0.6 % of the random programs are reported, most of the rest of them checked in 150,000 to 900,000.</summary>
        public const long InstructionsReportedAbove = 60_000;

        /// <summary>The passes the verifier makes over a Bpf.Range loop's body before its states repeat.</summary>
        private const long RangePasses = 2;

        private readonly Compilation _compilation;
        private readonly INamedTypeSymbol _objectType;
        private readonly Dictionary<IMethodSymbol, Cost> _methods = new Dictionary<IMethodSymbol, Cost>(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _walking = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _globals = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

        public VerifierWalk(Compilation compilation, INamedTypeSymbol objectType)
        {
            _compilation = compilation;
            _objectType = objectType;
        }

        /// <summary>BPF0037 when the tests on the verifier's first path through <paramref name="program"/> exceed what it can
        /// keep pending, BPF0038 when the instructions it checks on all paths likely exceed its budget; each at the first loop
        /// or call that carries more than half of the count.</summary>
        public IEnumerable<Diagnostic> Check(IMethodSymbol program)
        {
            if (Body(program) is not { } body) yield break;
            var model = _compilation.GetSemanticModel(body.SyntaxTree);
            long tests = Measure(program, asCall: false).Tests; // kept for Instructions below
            if (tests > ReportedAbove)
                yield return Diagnostic.Create(BpfDiagnostics.WalkTooLong, Culprit(program, body, model, c => c.Tests, tests), program.Name, Count(tests));
            long instructions = Instructions(program);
            if (tests <= ReportedAbove && instructions > InstructionsReportedAbove)
                yield return Diagnostic.Create(BpfDiagnostics.WalkTooLarge, Culprit(program, body, model, c => c.Instructions, instructions), program.Name, Count(instructions));
        }

        /// <summary>Where a count comes from: the outermost walked loop or call that carries more than half of it.</summary>
        private Location? Culprit(IMethodSymbol program, SyntaxNode body, SemanticModel model, System.Func<Cost, long> count, long total)
        {
            var culprit = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .Where(n => n is ForStatementSyntax || n is InvocationExpressionSyntax && CalledMethod(n, model) != null)
                .Where(n => count(Measure(n, model)) * 2 > total).OrderBy(n => n.SpanStart).FirstOrDefault();
            return culprit switch
            {
                ForStatementSyntax loop => loop.ForKeyword.GetLocation(),
                null => program.Locations.FirstOrDefault(),
                _ => culprit.GetLocation(),
            };
        }

        /// <summary>The instructions the verifier checks for <paramref name="program"/>, estimated from the source: the paths of
        /// its walk and, once each, the global functions it calls.</summary>
        public long Instructions(IMethodSymbol program)
        {
            _globals.Clear();
            long total = Measure(program, asCall: false).Instructions;
            for (var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default); _globals.FirstOrDefault(g => !seen.Contains(g)) is { } global; )
            {
                seen.Add(global);
                total = Add(total, Measure(global, asCall: false).Instructions);
            }
            return total;
        }

        private static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>What a call of <paramref name="method"/> costs the walk (nothing for a global function, checked once on its
        /// own), or with <paramref name="asCall"/> false what checking its body costs.</summary>
        private Cost Measure(IMethodSymbol method, bool asCall = true)
        {
            if (asCall && ObjectScope.IsGlobalFunction(method))
            {
                _globals.Add(method);
                return Cost.None;
            }
            if (Body(method) is not { } body) return Cost.None;
            if (_methods.TryGetValue(method, out var known))
            {
                if (known.Globals != null) _globals.UnionWith(known.Globals);
                return known;
            }
            if (!_walking.Add(method)) return Cost.None; // recursion is refused on its own (BPF0004)
            var outer = new HashSet<IMethodSymbol>(_globals, SymbolEqualityComparer.Default);
            _globals.Clear();
            var cost = Measure(body, _compilation.GetSemanticModel(body.SyntaxTree)).WithGlobals(_globals.ToList());
            _globals.UnionWith(outer);
            _walking.Remove(method);
            _methods[method] = cost;
            return cost;
        }

        private static SyntaxNode? Body(IMethodSymbol method) =>
            method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax declaration ? (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody : null;

        private IMethodSymbol? CalledMethod(SyntaxNode node, SemanticModel model) =>
            node is InvocationExpressionSyntax && model.GetSymbolInfo(node).Symbol is IMethodSymbol method
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, _objectType) ? method : null;

        /// <summary>What the verifier does following <paramref name="node"/>: the tests it pushes along its first path (each
        /// test on data, the most any one arm of a branch pushes) and the instructions it checks on all paths (both arms of
        /// every test on data, one of a decided test); loops times their iterations, calls as their callees. The paths are
        /// counted as if they merged after each test; where the verifier cannot merge them it does more (see
        /// <see cref="InstructionsReportedAbove"/>).</summary>
        private Cost Measure(SyntaxNode node, SemanticModel model)
        {
            switch (node)
            {
                case IfStatementSyntax s:
                    return Condition(s.Condition, model).Then(Branch(CarriedLoops.IsDecided(s.Condition, model),
                        Measure(s.Statement, model), s.Else == null ? Cost.None : Measure(s.Else.Statement, model)));
                case ConditionalExpressionSyntax c:
                    return Condition(c.Condition, model).Then(Branch(CarriedLoops.IsDecided(c.Condition, model),
                        Measure(c.WhenTrue, model), Measure(c.WhenFalse, model)));
                case SwitchStatementSyntax s:
                    return Switch(s.Expression, s.Sections.SelectMany(x => x.Labels).Sum(l => Compares(l)),
                        s.Sections.Select(x => x.Statements.Aggregate(Cost.None, (sum, st) => sum.Then(Measure(st, model)))), model);
                case SwitchExpressionSyntax s:
                    return Switch(s.GoverningExpression, s.Arms.Sum(a => Compares(a.Pattern)), s.Arms.Select(a => Measure(a.Expression, model)), model);
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) || b.IsKind(SyntaxKind.CoalesceExpression):
                    return Condition(b, model);
                case ForStatementSyntax loop:
                {
                    long iterations = LoopBoundCheck.Iterations(loop, model) ?? 1;
                    var each = (loop.Condition == null || CarriedLoops.IsDecided(loop.Condition, model) ? Cost.Work(1) : Condition(loop.Condition, model))
                        .Then(Measure(loop.Statement, model));
                    foreach (var step in loop.Incrementors) each = each.Then(Measure(step, model));
                    var before = loop.Initializers.Aggregate(Cost.None, (sum, e) => sum.Then(Measure(e, model)));
                    if (loop.Declaration != null) before = before.Then(Measure(loop.Declaration, model));
                    // A value the body compares with the counter is known apart on each side in each iteration (`v > i`
                    // teaches v > i on one side, v <= i on the other): one more state each iteration, each walking the rest.
                    long walks = ComparedWithCounter(loop, model) ? Multiply(iterations, iterations + 1) / 2 : iterations;
                    return before.Then(new Cost(Multiply(each.Tests, iterations), Multiply(each.Instructions, walks)));
                }
                case ForEachStatementSyntax each when CarriedLoops.IsRangeLoop(each, model):
                    // Checked until the states at the iterator's next call repeat: a few passes.
                    return Measure(each.Expression, model).Then(Measure(each.Statement, model) * RangePasses);
                case InvocationExpressionSyntax call:
                {
                    var arguments = call.ArgumentList.Arguments.Aggregate(Cost.Work(Size(call)), (sum, a) => sum.Then(Measure(a.Expression, model)));
                    if (call.Expression is MemberAccessExpressionSyntax member) arguments = arguments.Then(Measure(member.Expression, model));
                    return CalledMethod(call, model) is { } callee ? arguments.Then(Measure(callee)) : arguments;
                }
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return Cost.None;
                default:
                    return node.ChildNodes().Aggregate(Cost.Work(Size(node)), (sum, child) => sum.Then(Measure(child, model)));
            }
        }

        /// <summary>True when the loop's body compares its counter with a local or parameter the body does not write (a value
        /// the verifier keeps, and narrows on each side of the test; a written one rides in the loop state, CarriedLoops).</summary>
        private static bool ComparedWithCounter(ForStatementSyntax loop, SemanticModel model)
        {
            if (loop.Declaration is not { Variables.Count: 1 } declaration || model.GetDeclaredSymbol(declaration.Variables[0]) is not { } counter) return false;
            // The variable, cast or offset by a constant: the verifier links such copies to the value it keeps (a mov keeps the
            // id; Linux 6.10+ links `r += k`), and measured on 6.18 even a narrowing cast's test keeps the states apart.
            ISymbol? Operand(ExpressionSyntax e)
            {
                while (true)
                {
                    switch (e)
                    {
                        case ParenthesizedExpressionSyntax p: e = p.Expression; continue;
                        case CastExpressionSyntax c: e = c.Expression; continue;
                        case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression && model.GetConstantValue(b.Right).HasValue:
                            e = b.Left;
                            continue;
                    }
                    return model.GetSymbolInfo(e).Symbol is ILocalSymbol or IParameterSymbol ? model.GetSymbolInfo(e).Symbol : null;
                }
            }
            bool IsComparison(BinaryExpressionSyntax b) => b.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression;
            var written = new HashSet<ISymbol>(loop.Statement.DescendantNodesAndSelf().Select(n => CarriedLoops.WrittenVariable(n, model)).Where(v => v != null)!, SymbolEqualityComparer.Default);
            return loop.Statement.DescendantNodes().OfType<BinaryExpressionSyntax>().Where(IsComparison).Any(b =>
                Operand(b.Left) is { } left && Operand(b.Right) is { } right
                && (SymbolEqualityComparer.Default.Equals(left, counter) ? right : SymbolEqualityComparer.Default.Equals(right, counter) ? left : null) is { } other
                && !written.Contains(other) && !other.DeclaringSyntaxReferences.Any(r => r.GetSyntax().Parent?.Parent is ForStatementSyntax) // another counter: decided
                && !HoldsConstants(other, loop, model));
        }

        /// <summary>True for a local given only constants in its method (the verifier knows it exactly: the test is decided).</summary>
        private static bool HoldsConstants(ISymbol variable, SyntaxNode within, SemanticModel model)
        {
            if (variable is not ILocalSymbol || variable.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax declarator
                || declarator.Initializer is not { } initializer || !model.GetConstantValue(initializer.Value).HasValue)
                return false;
            var method = within.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax) ?? within;
            return method.DescendantNodes().Where(n => SymbolEqualityComparer.Default.Equals(CarriedLoops.WrittenVariable(n, model), variable))
                .All(n => n is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } a && model.GetConstantValue(a.Right).HasValue);
        }

        /// <summary>The two arms of a test: the verifier's first path pushes the test and goes down one arm (the estimate takes
        /// the costlier), and it checks both arms of a test on data in the end, one of a test it decides.</summary>
        private static Cost Branch(bool decided, Cost whenTrue, Cost whenFalse) => Cost.Chosen(decided, new[] { whenTrue, whenFalse });

        private Cost Switch(ExpressionSyntax governing, long compares, IEnumerable<Cost> arms, SemanticModel model)
        {
            bool decided = CarriedLoops.IsDecided(governing, model);
            return Measure(governing, model).Then(new Cost(decided ? 0 : compares, compares)).Then(Cost.Chosen(decided, arms.DefaultIfEmpty(Cost.None).ToList()));
        }

        /// <summary>The instructions an expression compiles to, roughly: one per operation, more for an element (its bound
        /// check) and a call (its arguments).</summary>
        private static long Size(SyntaxNode node) => node switch
        {
            ElementAccessExpressionSyntax or InvocationExpressionSyntax => 4,
            LiteralExpressionSyntax or ParenthesizedExpressionSyntax or IdentifierNameSyntax or TypeSyntax or ArgumentSyntax => 0,
            ExpressionSyntax => 1,
            ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax => 1,
            _ => 0,
        };

        /// <summary>The tests of a condition: one for each operand of &amp;&amp;, || and ! that reads data, with what its parts push.</summary>
        private Cost Condition(ExpressionSyntax condition, SemanticModel model)
        {
            switch (condition)
            {
                case ParenthesizedExpressionSyntax p:
                    return Condition(p.Expression, model);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                    return Condition(u.Operand, model);
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression):
                    return Condition(b.Left, model).Then(Condition(b.Right, model));
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.CoalesceExpression):
                    return Measure(b.Left, model).Then(new Cost(1, 1)).Then(Measure(b.Right, model));
                default:
                    return Measure(condition, model).Then(CarriedLoops.IsDecided(condition, model) ? Cost.Work(1) : new Cost(1, 1));
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

        /// <summary>Tests on the first path and instructions on all paths; the global functions a method calls (checked once).</summary>
        private readonly struct Cost
        {
            public static readonly Cost None = new Cost(0, 0);
            public readonly long Tests;
            public readonly long Instructions;
            public readonly IReadOnlyList<IMethodSymbol>? Globals;

            public Cost(long tests, long instructions, IReadOnlyList<IMethodSymbol>? globals = null)
            {
                Tests = tests;
                Instructions = instructions;
                Globals = globals;
            }

            public static Cost Work(long instructions) => new Cost(0, instructions);

            /// <summary>This, then <paramref name="next"/>.</summary>
            public Cost Then(Cost next) => new Cost(Add(Tests, next.Tests), Add(Instructions, next.Instructions));

            /// <summary>One of <paramref name="arms"/>: the first path pushes the costliest arm's tests; all arms are checked, or
            /// only the costliest when the verifier <paramref name="decided"/> the test.</summary>
            public static Cost Chosen(bool decided, IReadOnlyCollection<Cost> arms) => new Cost(arms.Max(a => a.Tests),
                decided ? arms.Max(a => a.Instructions) : arms.Aggregate(0L, (sum, a) => Add(sum, a.Instructions)));

            public Cost WithGlobals(IReadOnlyList<IMethodSymbol> globals) => new Cost(Tests, Instructions, globals.Count == 0 ? null : globals);
            public static Cost operator *(Cost a, long times) => new Cost(Multiply(a.Tests, times), Multiply(a.Instructions, times));
        }

        private static long Add(long a, long b) => System.Math.Min(a + b, long.MaxValue / 4);

        private static long Multiply(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / 4 / b ? long.MaxValue / 4 : a * b;
    }
}
