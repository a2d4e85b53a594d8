using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The largest value an expression can take, when its shape shows it (constants, header bit
    /// fields such as Ipv4Header.HeaderLength, and sums, products and masks of them); null otherwise. All
    /// such values are non-negative, so a packet offset built from them needs no runtime bound.</summary>
    internal static class ValueRange
    {
        public static long? Maximum(IOperation operation)
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
                    long? operand = Maximum(conversion.Operand);
                    return operand != null && conversion.Type is { } target && TypeLayout.IsScalar(target) && operand <= MaxOf(target) ? operand : null;
                }
                case IParenthesizedOperation parenthesized:
                    return Maximum(parenthesized.Operand);
                case IPropertyReferenceOperation property:
                    return BitFieldMaximum(property.Property);
                case IBinaryOperation binary when binary.OperatorMethod == null:
                {
                    long? left = Maximum(binary.LeftOperand), right = Maximum(binary.RightOperand);
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
