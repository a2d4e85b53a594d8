using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The largest value an expression can take, when its shape shows it (constants, header bit
    /// fields such as Ipv4Header.HeaderLength, for-loop counters and foreach over Bpf.Range, unsigned remainders, and sums, products and
    /// masks of them); null otherwise. All such values are non-negative, so a packet offset built from them
    /// needs no runtime bound and an [InlineArray] index built from them stays inside the array.</summary>
    internal static class ValueRange
    {
        public static long? Maximum(IOperation operation, SemanticModel model)
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
                    long? operand = Maximum(conversion.Operand, model);
                    return operand != null && conversion.Type is { } target && TypeLayout.IsScalar(target) && operand <= MaxOf(target) ? operand : null;
                }
                case IParenthesizedOperation parenthesized:
                    return Maximum(parenthesized.Operand, model);
                case IPropertyReferenceOperation property:
                    return BitFieldMaximum(property.Property);
                case ILocalReferenceOperation local:
                    return LoopCounterMaximum(local, model);
                case IBinaryOperation binary when binary.OperatorMethod == null:
                {
                    long? left = Maximum(binary.LeftOperand, model), right = Maximum(binary.RightOperand, model);
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
