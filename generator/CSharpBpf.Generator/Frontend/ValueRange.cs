using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The largest value an expression can take, when its shape shows it (constants, header bit
    /// fields such as Ipv4Header.HeaderLength, for-loop counters and foreach over Bpf.Range, unsigned remainders, and sums, products and
    /// masks of them); null otherwise. Ranges flow as the verifier's own range tracking carries them: through locals whose
    /// every write is bounded, comparisons that dominate the use (<c>if (i &lt; N)</c>, <c>if (i &gt;= N) return;</c>,
    /// <c>i &lt; N ? i : N - 1</c>), and the object's own methods whose every return is bounded. All such values are
    /// non-negative, so a packet offset built from them needs no runtime bound and an [InlineArray] index built from them
    /// stays inside the array.</summary>
    internal static class ValueRange
    {
        // Locals whose writes are being followed, and calls being followed: a cycle (x = x + 1, recursion) proves nothing.
        [System.ThreadStatic] private static System.Collections.Generic.HashSet<ISymbol>? _following;

        // Set while answering for the verifier: what a loop carries in the loop state reads back as a value it knows nothing of.
        [System.ThreadStatic] private static bool _verifierView;

        /// <summary>The largest value the expression takes (in .NET and in the kernel alike), or null.</summary>
        public static long? Maximum(IOperation operation, SemanticModel model)
        {
            _following ??= new System.Collections.Generic.HashSet<ISymbol>(SymbolEqualityComparer.Default);
            return Bound(operation, model);
        }

        /// <summary>The largest value the expression takes as the verifier tracks it (a code path that relies on the
        /// verifier's bound, such as a packet offset without a runtime test), or null: as <see cref="Maximum"/>, but a
        /// variable a loop around it carries in the loop state (<see cref="CarriedLoops"/>) has no bound.</summary>
        public static long? MaximumKnownToVerifier(IOperation operation, SemanticModel model)
        {
            _verifierView = true;
            try
            {
                return Maximum(operation, model);
            }
            finally
            {
                _verifierView = false;
            }
        }

        private static long? Bound(IOperation operation, SemanticModel model)
        {
            if (operation.ConstantValue.HasValue)
            {
                long value = Constants.ToLong(operation.ConstantValue.Value);
                return value >= 0 ? value : null;
            }
            switch (operation)
            {
                case IConversionOperation conversion when conversion.OperatorMethod == null:
                {
                    // A value that does not fit the target type's positive range may wrap to a negative one.
                    long? operand = Bound(conversion.Operand, model);
                    return operand != null && conversion.Type is { } target && TypeLayout.IsScalar(target) && operand <= MaxOf(target) ? operand : null;
                }
                case IParenthesizedOperation parenthesized:
                    return Bound(parenthesized.Operand, model);
                case IPropertyReferenceOperation property:
                    return BitFieldMaximum(property.Property);
                case ILocalReferenceOperation local when _verifierView && CarriedLoops.IsCarried(local.Local, local.Syntax, model):
                    return null;
                case IParameterReferenceOperation parameter when _verifierView && CarriedLoops.IsCarried(parameter.Parameter, parameter.Syntax, model):
                    return null;
                case ILocalReferenceOperation local:
                    return Min(Min(LoopCounterMaximum(local, model), GuardedMaximum(local.Local, local.Syntax, model)), WrittenMaximum(local.Local, model));
                case IParameterReferenceOperation parameter:
                    return GuardedMaximum(parameter.Parameter, parameter.Syntax, model);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return Bound(conditional.WhenTrue, model) is long a && Bound(whenFalse, model) is long b ? System.Math.Max(a, b) : null;
                case IInvocationOperation call:
                    return ReturnedMaximum(call.TargetMethod, model);
                case IBinaryOperation binary when binary.OperatorMethod == null:
                {
                    long? left = Bound(binary.LeftOperand, model), right = Bound(binary.RightOperand, model);
                    return binary.OperatorKind switch
                    {
                        BinaryOperatorKind.Add when left != null && right != null => Limit(left.Value + right.Value),
                        BinaryOperatorKind.Multiply when left != null && right != null => Limit(left.Value * right.Value),
                        BinaryOperatorKind.And => left != null && right != null ? System.Math.Min(left.Value, right.Value) : left ?? right,
                        // x % n for unsigned x is below n; a signed x may leave a negative remainder.
                        BinaryOperatorKind.Remainder when right != null && right > 0 && binary.LeftOperand.Type is { } type && !TypeLayout.IsSigned(type) => right - 1,
                        _ => null,
                    };
                }
                default:
                    return null;
            }
        }

        /// <summary>
        /// The counter of `for (int i = A; i &lt; B; i++)` (or `&lt;=`, or `i += k`), read inside the loop's body, lies in
        /// [A, B - 1] when A ≥ 0 is a constant, B is a constant and only the incrementors write i.
        /// </summary>
        private static long? LoopCounterMaximum(ILocalReferenceOperation reference, SemanticModel model)
        {
            var local = reference.Local;
            // foreach (int i in Bpf.Range(A, B)): i lies in [A, B - 1] (the lowering tests it against both, for the verifier).
            if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ForEachStatementSyntax each && each.Statement.Span.Contains(reference.Syntax.Span)
                && each.Expression is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } range && Checks.LoopBoundCheck.IsBpfRange(range, model))
            {
                return model.GetConstantValue(range.ArgumentList.Arguments[0].Expression).Value is int from && from >= 0
                    && model.GetConstantValue(range.ArgumentList.Arguments[1].Expression).Value is int to && to - 1L >= from ? to - 1L : null;
            }
            if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax declarator
                || declarator.Parent?.Parent is not ForStatementSyntax loop || !loop.Statement.Span.Contains(reference.Syntax.Span))
                return null;
            if (declarator.Initializer == null || model.GetConstantValue(declarator.Initializer.Value).Value is not int start || start < 0) return null;
            if (loop.Condition is not BinaryExpressionSyntax condition || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(condition.Left).Symbol, local)
                || model.GetConstantValue(condition.Right).Value is not int bound) return null;
            long maximum = condition.Kind() switch
            {
                SyntaxKind.LessThanExpression => bound - 1L,
                SyntaxKind.LessThanOrEqualExpression => bound,
                _ => -1,
            };
            if (maximum < start) return null;
            bool IsCounter(ExpressionSyntax e) => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e).Symbol, local);
            bool written = loop.Statement.DescendantNodes().Any(n => n switch
            {
                AssignmentExpressionSyntax a => IsCounter(a.Left),
                PrefixUnaryExpressionSyntax u => (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && IsCounter(u.Operand),
                PostfixUnaryExpressionSyntax u => IsCounter(u.Operand),
                ArgumentSyntax a => a.RefKindKeyword.Text is "ref" or "out" && IsCounter(a.Expression),
                RefExpressionSyntax r => IsCounter(r.Expression),
                _ => false,
            });
            bool stepsUp = loop.Incrementors.All(e => e switch
            {
                PostfixUnaryExpressionSyntax u => u.IsKind(SyntaxKind.PostIncrementExpression) && IsCounter(u.Operand),
                PrefixUnaryExpressionSyntax u => u.IsKind(SyntaxKind.PreIncrementExpression) && IsCounter(u.Operand),
                AssignmentExpressionSyntax a => a.IsKind(SyntaxKind.AddAssignmentExpression) && IsCounter(a.Left) && model.GetConstantValue(a.Right).Value is int k && k > 0,
                _ => false,
            });
            return written || !stepsUp || loop.Incrementors.Count == 0 ? null : maximum;
        }

        private static long? Min(long? a, long? b) => a == null ? b : b == null ? a : System.Math.Min(a.Value, b.Value);

        /// <summary>A variable's bound from a comparison that dominates the use and that nothing between changes: the use is
        /// in the true branch of <c>if (v &lt; N)</c> or <c>v &lt; N ? … : …</c> (or a conjunction holding it), or follows
        /// <c>if (v &gt;= N) return/break/continue;</c> (or a disjunction holding it) in an enclosing block. A signed variable
        /// needs <c>v &gt;= 0</c> beside it.</summary>
        private static long? GuardedMaximum(ISymbol variable, SyntaxNode use, SemanticModel model)
        {
            var method = use.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            if (method == null || variable is ILocalSymbol { IsRef: true } || variable is IParameterSymbol { RefKind: not RefKind.None }) return null;
            bool signed = variable is ILocalSymbol l ? TypeLayout.IsSigned(l.Type) : TypeLayout.IsSigned(((IParameterSymbol)variable).Type);
            var writes = Writes(variable, method, model).ToList();
            // A write inside the guarded code, or anywhere after an exit test (a loop may bring it round before the use), voids it.
            bool WrittenIn(TextSpan span) => writes.Any(w => span.Contains(w.SpanStart));
            for (SyntaxNode? node = use, child = null; node != null && node != method; child = node, node = node.Parent)
            {
                long? bound = null;
                if (node is IfStatementSyntax branch && child == branch.Statement)
                    bound = Below(branch.Condition, variable, model, signed, conjunction: true);
                else if (node is ConditionalExpressionSyntax conditional && child == conditional.WhenTrue)
                    bound = Below(conditional.Condition, variable, model, signed, conjunction: true);
                else if (node is BlockSyntax block && child is StatementSyntax statement)
                {
                    // if (v >= N) return; … use: the statements before the use's, in this block, that leave when v is too big.
                    foreach (var earlier in block.Statements.TakeWhile(s => s != statement).Reverse())
                    {
                        if (earlier is IfStatementSyntax { Else: null } exit && Leaves(exit.Statement)
                            && Below(exit.Condition, variable, model, signed, conjunction: false) is long b && !WrittenIn(TextSpan.FromBounds(exit.Span.End, method.Span.End)))
                            return b;
                    }
                }
                if (bound != null && !WrittenIn(child!.Span)) return bound;
            }
            return null;
        }

        private static bool Leaves(StatementSyntax statement) => statement switch
        {
            ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or ThrowStatementSyntax => true,
            BlockSyntax { Statements.Count: > 0 } block => Leaves(block.Statements.Last()),
            _ => false,
        };

        /// <summary>The bound below which <paramref name="condition"/> holds <paramref name="variable"/> when it is true
        /// (<paramref name="conjunction"/>) or, negated, when it is false (an exit test such as v &gt;= N || v &lt; 0).</summary>
        private static long? Below(ExpressionSyntax condition, ISymbol variable, SemanticModel model, bool signed, bool conjunction)
        {
            var parts = new System.Collections.Generic.List<ExpressionSyntax>();
            void Split(ExpressionSyntax e)
            {
                while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
                if (e is BinaryExpressionSyntax b && b.IsKind(conjunction ? SyntaxKind.LogicalAndExpression : SyntaxKind.LogicalOrExpression))
                {
                    Split(b.Left);
                    Split(b.Right);
                }
                else parts.Add(e);
            }
            Split(condition);
            long? upper = null;
            bool nonNegative = !signed;
            foreach (var part in parts)
            {
                if (part is not BinaryExpressionSyntax compare) continue;
                bool left = Is(compare.Left, variable, model), right = Is(compare.Right, variable, model);
                if (left == right) continue;
                if (model.GetConstantValue(left ? compare.Right : compare.Left).Value is not { } constant) continue;
                long n = Constants.ToLong(constant);
                // Normalize to "variable OP n" as the branch taken sees it.
                var kind = compare.Kind();
                if (right) kind = kind switch
                {
                    SyntaxKind.LessThanExpression => SyntaxKind.GreaterThanExpression,
                    SyntaxKind.LessThanOrEqualExpression => SyntaxKind.GreaterThanOrEqualExpression,
                    SyntaxKind.GreaterThanExpression => SyntaxKind.LessThanExpression,
                    SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.LessThanOrEqualExpression,
                    _ => kind,
                };
                if (!conjunction) kind = kind switch // the exit test is false where the use is
                {
                    SyntaxKind.LessThanExpression => SyntaxKind.GreaterThanOrEqualExpression,
                    SyntaxKind.LessThanOrEqualExpression => SyntaxKind.GreaterThanExpression,
                    SyntaxKind.GreaterThanExpression => SyntaxKind.LessThanOrEqualExpression,
                    SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.LessThanExpression,
                    _ => SyntaxKind.None,
                };
                switch (kind)
                {
                    case SyntaxKind.LessThanExpression: upper = Min(upper, n - 1); break;
                    case SyntaxKind.LessThanOrEqualExpression: upper = Min(upper, n); break;
                    case SyntaxKind.GreaterThanOrEqualExpression when n >= 0: nonNegative = true; break;
                    case SyntaxKind.GreaterThanExpression when n >= -1: nonNegative = true; break;
                }
            }
            return nonNegative && upper >= 0 ? upper : null;
        }

        private static bool Is(ExpressionSyntax e, ISymbol variable, SemanticModel model)
        {
            while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
            return e is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e).Symbol, variable);
        }

        /// <summary>Where <paramref name="variable"/> is written in <paramref name="method"/>: assignments, ++/--, ref and
        /// out arguments, refs taken to it.</summary>
        private static System.Collections.Generic.IEnumerable<SyntaxNode> Writes(ISymbol variable, SyntaxNode method, SemanticModel model)
        {
            bool IsIt(ExpressionSyntax e) => Is(e, variable, model);
            return method.DescendantNodes().Where(n => n switch
            {
                AssignmentExpressionSyntax a => IsIt(a.Left),
                PrefixUnaryExpressionSyntax u => (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && IsIt(u.Operand),
                PostfixUnaryExpressionSyntax u => IsIt(u.Operand),
                ArgumentSyntax a => a.RefKindKeyword.Text is "ref" or "out" && IsIt(a.Expression),
                RefExpressionSyntax r => IsIt(r.Expression),
                _ => false,
            });
        }

        /// <summary>A local (not a ref) whose declaration and every write give a bounded value: <c>int k = w &amp; 7;</c>.</summary>
        private static long? WrittenMaximum(ILocalSymbol local, SemanticModel model)
        {
            if (local.IsRef || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator
                || declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } method || !_following!.Add(local))
                return null;
            try
            {
                long? maximum = model.GetOperation(initializer.Value) is { } first ? Bound(first, model) : null;
                foreach (var write in Writes(local, method, model))
                {
                    // A loop that carries the variable in the loop state hands it back as a value the verifier knows nothing of.
                    if (maximum == null || _verifierView && CarriedLoops.IsCarried(local, write, model)) return null;
                    maximum = write is AssignmentExpressionSyntax assignment && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                        && model.GetOperation(assignment.Right) is { } value && Bound(value, model) is long m ? System.Math.Max(maximum.Value, m) : null;
                }
                return maximum;
            }
            finally
            {
                _following!.Remove(local);
            }
        }

        /// <summary>The object's own method (source, not recursive here) whose every return value is bounded.</summary>
        private static long? ReturnedMaximum(IMethodSymbol method, SemanticModel model)
        {
            if (!method.IsStatic || method.ReturnsByRef || method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax declaration
                || !_following!.Add(method))
                return null;
            try
            {
                var tree = model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree) ? model.Compilation.GetSemanticModel(declaration.SyntaxTree) : null;
                if (tree == null) return null;
                var returned = declaration.ExpressionBody != null ? new[] { declaration.ExpressionBody.Expression }
                    : declaration.Body?.DescendantNodes().OfType<ReturnStatementSyntax>().Select(r => r.Expression).ToArray() ?? new ExpressionSyntax?[0];
                long? maximum = null;
                foreach (var expression in returned)
                {
                    if (expression == null || tree.GetOperation(expression) is not { } value || Bound(value, tree) is not long m) return null;
                    maximum = System.Math.Max(maximum ?? 0, m);
                }
                return maximum;
            }
            finally
            {
                _following!.Remove(method);
            }
        }

        private static long MaxOf(ITypeSymbol type)
        {
            int bits = TypeLayout.ScalarSize(type) * 8;
            return bits >= 64 ? long.MaxValue : TypeLayout.IsSigned(type) ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }

        private static long? Limit(long value) => value <= int.MaxValue ? value : null;

        private static long? BitFieldMaximum(IPropertySymbol property)
        {
            var field = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfFieldAttribute");
            if (field == null) return null;
            object? Named(string name) => field.NamedArguments.FirstOrDefault(n => n.Key == name).Value.Value;
            if (Named("Mask") is not ulong mask || mask == 0 || mask > int.MaxValue) return null;
            int scale = Named("Scale") is int k && k > 0 ? k : 1;
            return (long)mask * scale;
        }
    }
}
