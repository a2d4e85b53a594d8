using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>
    /// The loops whose writes to variables of the enclosing code go to the loop-state map while they run
    /// (MethodLowerer.Iterators), so that the verifier reads them back as values it knows nothing exact about:
    /// <list type="bullet">
    /// <item>foreach over Bpf.Range: the verifier checks the body until its states repeat, which exact values never do;</item>
    /// <item>a <c>for</c> loop the verifier walks, for the variables its body writes under a test on data (not on constants or
    /// loop counters; around the write or inside the value written), and those it counts in when a break on data may leave
    /// it, once its iterations (with the loops around it) times those tests reach <see cref="WalkedForks"/>. Each such
    /// test forks the states the verifier follows, and when the variable holds exact values that something later needs
    /// exactly (a packet offset, an index, a test) no two states match: measured, <c>if (((v &gt;&gt; i) &amp; 1) != 0) k++;</c>
    /// over 25 iterations, with k a packet offset after the loop, exhausts the verifier's million instructions (20 take
    /// 118,554, growing about 1.4× per iteration). clang makes that body branch-free; a test in general cannot be.</item>
    /// </list>
    /// One rule for the lowering and for <see cref="ValueRange"/>: a variable a loop carries has no range after it.
    /// </summary>
    internal static class CarriedLoops
    {
        /// <summary>How many forks, at the fewest, make a walked for loop carry what it writes under tests on data: its
        /// iterations (times the enclosing loops') times those tests. One test in 8 iterations of the loop above costs the
        /// verifier about 1,000 instructions, in 10 4,029, in 15 22,601; two tests an iteration double the exponent.</summary>
        public const long WalkedForks = 8;

        /// <summary>True for <c>foreach (… in Bpf.Range(from, to))</c>.</summary>
        public static bool IsRangeLoop(SyntaxNode node, SemanticModel model) =>
            node is ForEachStatementSyntax loop && Checks.LoopBoundCheck.IsBpfRange(loop.Expression, model);

        /// <summary>The variables of the enclosing code (by their root: the struct whose field is written) that a walked
        /// <c>for</c> loop's body writes under a test on data (around the write or inside the value it stores), or counts in
        /// (`k++`, `last = i`) when a break on data may leave the loop with loops or calls after it; empty when the loop is short.</summary>
        public static HashSet<ISymbol> BranchWritten(ForStatementSyntax loop, SemanticModel model)
        {
            var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var tests = new HashSet<SyntaxNode>();
            var counters = CountersAround(loop.Statement, model);
            // A break on data leaves after any iteration, with what that iteration left in the variables the body counts in
            // (`k++`, `last = i`): an exact value for each way out, and the rest of the method walked once for each.
            var exits = !WalkedAfter(loop) ? new List<SyntaxNode>() : loop.Statement.DescendantNodes().OfType<BreakStatementSyntax>()
                .Where(b => Checks.LoopBoundCheck.Owner(b) == loop).SelectMany(b => TestsOnData(b, loop.Statement, counters, model)).ToList();
            foreach (var node in loop.Statement.DescendantNodesAndSelf())
                if (WrittenVariable(node, model) is { } symbol && !symbol.Locations.Any(at => loop.Span.Contains(at.SourceSpan))
                    && TestsOnData(node, loop.Statement, counters, model).Concat(TestsInValue(node, counters, model))
                        .Concat(Counts(node, counters, model) ? exits : Enumerable.Empty<SyntaxNode>()).ToList() is { Count: > 0 } guarding)
                {
                    written.Add(symbol);
                    tests.UnionWith(guarding);
                }
            long forks = tests.Count;
            foreach (var walked in loop.AncestorsAndSelf().TakeWhile(a => a is not MemberDeclarationSyntax).OfType<ForStatementSyntax>())
                forks *= Checks.LoopBoundCheck.Iterations(walked, model) ?? WalkedForks;
            if (forks < WalkedForks) written.Clear();
            return written;
        }

        /// <summary>True when a loop around <paramref name="node"/> (a read or write of <paramref name="symbol"/>) carries it.</summary>
        public static bool IsCarried(ISymbol symbol, SyntaxNode node, SemanticModel model)
        {
            foreach (var loop in node.Ancestors().TakeWhile(a => a is not MemberDeclarationSyntax))
            {
                if (symbol.Locations.Any(at => loop.Span.Contains(at.SourceSpan))) return false; // declared inside: not carried
                bool carries = loop switch
                {
                    ForEachStatementSyntax each when IsRangeLoop(each, model) =>
                        each.Statement.DescendantNodesAndSelf().Any(n => SymbolEqualityComparer.Default.Equals(WrittenVariable(n, model), symbol)),
                    ForStatementSyntax walked => walked.Statement.Span.Contains(node.Span) && BranchWritten(walked, model).Contains(symbol),
                    _ => false,
                };
                if (carries) return true;
            }
            return false;
        }

        /// <summary>The variable <paramref name="node"/> writes (an assignment's target, ++/--, a ref or out argument), by its
        /// root: the local or parameter whose field or element is written. Null for anything else, and for `out var x`.</summary>
        public static ISymbol? WrittenVariable(SyntaxNode node, SemanticModel model)
        {
            var target = node switch
            {
                AssignmentExpressionSyntax a => a.Left,
                PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression) => u.Operand,
                PostfixUnaryExpressionSyntax u => u.Operand,
                ArgumentSyntax a when a.RefKindKeyword.Text is "ref" or "out" => a.Expression,
                _ => null,
            };
            return target == null ? null : Root(target, model);
        }

        /// <summary>The local or parameter a write lands in: the struct whose field or element it is.</summary>
        public static ISymbol? Root(ExpressionSyntax target, SemanticModel model)
        {
            while (true)
            {
                switch (target)
                {
                    case MemberAccessExpressionSyntax member when model.GetSymbolInfo(member).Symbol is IFieldSymbol { IsStatic: false }:
                        target = member.Expression;
                        continue;
                    case ElementAccessExpressionSyntax element:
                        target = element.Expression;
                        continue;
                    case ParenthesizedExpressionSyntax parenthesized:
                        target = parenthesized.Expression;
                        continue;
                    case DeclarationExpressionSyntax:
                        return null; // `out var x` declares a fresh variable
                }
                return model.GetSymbolInfo(target).Symbol;
            }
        }

        /// <summary>The tests on data inside <paramref name="body"/> on whose outcome <paramref name="node"/> runs: an if's
        /// branches, a switch's sections, a ternary's arms, the right of &amp;&amp;, || and ??, the body of a nested while or
        /// do loop — a test that reads anything but constants and loop counters.</summary>
        private static List<SyntaxNode> TestsOnData(SyntaxNode node, StatementSyntax body, HashSet<ISymbol> counters, SemanticModel model)
        {
            var tests = new List<SyntaxNode>();
            for (SyntaxNode? child = node, parent = node.Parent; parent != null && child != body; child = parent, parent = parent.Parent)
            {
                SyntaxNode? test = parent switch
                {
                    IfStatementSyntax s when child != s.Condition => s.Condition,
                    SwitchSectionSyntax => ((SwitchStatementSyntax)parent.Parent!).Expression,
                    SwitchExpressionArmSyntax => ((SwitchExpressionSyntax)parent.Parent!).GoverningExpression,
                    ConditionalExpressionSyntax c when child != c.Condition => c.Condition,
                    BinaryExpressionSyntax b when (b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) || b.IsKind(SyntaxKind.CoalesceExpression)) && child == b.Right => b.Left,
                    WhileStatementSyntax w when child == w.Statement => w.Condition,
                    DoStatementSyntax d when child == d.Statement => d.Condition,
                    _ => null,
                };
                if (test != null && ReadsData(test, counters, model)) tests.Add(test);
            }
            return tests;
        }

        /// <summary>True when what runs after the loop is worth walking once per way out of it: a loop or a call follows in
        /// the method, or the method returns to a caller (a subprogram: the caller goes on from each way out).</summary>
        private static bool WalkedAfter(ForStatementSyntax loop)
        {
            var method = loop.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault();
            if (method is MethodDeclarationSyntax { AttributeLists.Count: 0 }) return true;
            for (SyntaxNode node = loop; node.Parent is { } parent && node != method; node = parent)
                if (parent is BlockSyntax block && block.Statements.SkipWhile(st => st != node).Skip(1)
                    .Any(st => st.DescendantNodesAndSelf().Any(n => n is ForStatementSyntax or CommonForEachStatementSyntax or InvocationExpressionSyntax)))
                    return true;
            return false;
        }

        /// <summary>The tests on data inside the value a write stores (`s += x > k ? 1 : 2`): forks as much as an if around it.</summary>
        private static IEnumerable<SyntaxNode> TestsInValue(SyntaxNode write, HashSet<ISymbol> counters, SemanticModel model)
        {
            if (write is not AssignmentExpressionSyntax assignment) return Enumerable.Empty<SyntaxNode>();
            return assignment.Right.DescendantNodesAndSelf().Select(n => n switch
            {
                ConditionalExpressionSyntax c => c.Condition,
                SwitchExpressionSyntax s => s.GoverningExpression,
                BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) || b.IsKind(SyntaxKind.CoalesceExpression) => b.Left,
                _ => null,
            }).Where(test => test != null && ReadsData(test, counters, model))!;
        }

        /// <summary>A write that leaves a value the verifier knows exactly when it knew the old one: a step by a constant
        /// (`k++`, `k += 4`) or a value made of constants and loop counters (`last = i`).</summary>
        private static bool Counts(SyntaxNode write, HashSet<ISymbol> counters, SemanticModel model) => write switch
        {
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
            AssignmentExpressionSyntax a => !ReadsData(a.Right, counters, model),
            _ => false,
        };

        /// <summary>True for a test the verifier decides: on constants and the counters of the for loops around it, which it
        /// knows exactly as it walks them.</summary>
        public static bool IsDecided(ExpressionSyntax test, SemanticModel model) => !ReadsData(test, CountersAround(test, model), model);

        /// <summary>The counters of the for loops around <paramref name="node"/>.</summary>
        private static HashSet<ISymbol> CountersAround(SyntaxNode node, SemanticModel model)
        {
            var counters = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var walked in node.Ancestors().OfType<ForStatementSyntax>())
                foreach (var declarator in walked.Declaration?.Variables ?? default)
                    if (model.GetDeclaredSymbol(declarator) is { } counter) counters.Add(counter);
            return counters;
        }

        private static bool ReadsData(SyntaxNode test, HashSet<ISymbol> counters, SemanticModel model) =>
            !model.GetConstantValue(test).HasValue && test.DescendantNodesAndSelf().Any(n =>
                n is InvocationExpressionSyntax
                || n is IdentifierNameSyntax name && model.GetSymbolInfo(name).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol { IsConst: false } or IPropertySymbol
                    && !counters.Contains(model.GetSymbolInfo(name).Symbol!));
    }
}
