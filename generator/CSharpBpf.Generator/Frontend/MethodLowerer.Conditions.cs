using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    internal sealed partial class MethodLowerer
    {
        /// <summary>Lowers a boolean expression straight into branches, so `if (a &lt; b &amp;&amp; c)` never
        /// materializes a 0/1 value.</summary>
        private void Condition(IOperation condition, IrBlock whenTrue, IrBlock whenFalse)
        {
            if (condition.ConstantValue.HasValue && condition.ConstantValue.Value is bool constant)
            {
                Jump(constant ? whenTrue : whenFalse);
                return;
            }
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                    Condition(not.Operand, whenFalse, whenTrue);
                    return;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                {
                    var right = _function.NewBlock();
                    Condition(and.LeftOperand, right, whenFalse);
                    StartBlock(right);
                    Condition(and.RightOperand, whenTrue, whenFalse);
                    return;
                }
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                {
                    var right = _function.NewBlock();
                    Condition(or.LeftOperand, whenTrue, right);
                    StartBlock(right);
                    Condition(or.RightOperand, whenTrue, whenFalse);
                    return;
                }
                case IBinaryOperation { OperatorMethod: { } equality, OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comm when KnownTypes.Is(equality.ContainingType, Known.Comm):
                {
                    var left = AsPlace(Evaluate(comm.LeftOperand), comm.Syntax);
                    var right = AsPlace(Evaluate(comm.RightOperand), comm.Syntax);
                    if (comm.OperatorKind == BinaryOperatorKind.Equals) SameBytes(left, right, whenTrue, whenFalse);
                    else SameBytes(left, right, whenFalse, whenTrue);
                    return;
                }
                case IBinaryOperation { OperatorMethod: { } equality, OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } pointers when KernelTypes.IsKernelPointer(equality.ContainingType):
                {
                    // Kernel pointers are equal when their addresses are (p == default is a null test).
                    var left = Scalarize(Evaluate(pointers.LeftOperand));
                    var right = Scalarize(Evaluate(pointers.RightOperand));
                    var kind = pointers.OperatorKind == BinaryOperatorKind.Equals ? Ir.Condition.Equal : Ir.Condition.NotEqual;
                    Branch(kind, left.Operand, right.Operand, false, whenTrue, whenFalse);
                    return;
                }
                case IBinaryOperation { OperatorMethod: null } comparison when ComparisonOf(comparison.OperatorKind) is { } kind:
                {
                    if (kind is not (Ir.Condition.Equal or Ir.Condition.NotEqual)) RefuseSyscallArithmetic(comparison, comparison.LeftOperand.Type);
                    var left = Scalarize(Evaluate(comparison.LeftOperand));
                    var right = Scalarize(Evaluate(comparison.RightOperand));
                    var type = comparison.LeftOperand.Type!;
                    bool signed = TypeLayout.IsSigned(type) && type is not IPointerTypeSymbol;
                    Branch(Signed(kind, signed), left.Operand, right.Operand, !TypeLayout.Is64(type), whenTrue, whenFalse);
                    return;
                }
                case IIsPatternOperation pattern:
                    Pattern(Scalarize(Evaluate(pattern.Value)), pattern.Pattern, whenTrue, whenFalse);
                    return;
                case IInvocationOperation { TargetMethod.Name: "MoveNext", Instance: { } enumerator } when IsRangeEnumerator(enumerator.Type):
                    StepRange(enumerator, whenTrue, whenFalse);
                    return;
                case IInvocationOperation invocation when TryIntrinsicCondition(invocation, whenTrue, whenFalse):
                    return;
            }
            var value = Scalarize(Evaluate(condition));
            Branch(Ir.Condition.NotEqual, value.Operand, Operand.Const(0), true, whenTrue, whenFalse);
        }

        private Scalar BoolFromCondition(IOperation condition)
        {
            var whenTrue = _function.NewBlock();
            var whenFalse = _function.NewBlock();
            var join = _function.NewBlock();
            int result = NewRegister();
            Condition(condition, whenTrue, whenFalse);
            StartBlock(whenTrue);
            Move(result, Operand.Const(1));
            Jump(join);
            StartBlock(whenFalse);
            Move(result, Operand.Const(0));
            Jump(join);
            StartBlock(join);
            return new Scalar(Operand.Reg(result), Known.Boolean);
        }

        private static Condition? ComparisonOf(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.Equals => Ir.Condition.Equal,
            BinaryOperatorKind.NotEquals => Ir.Condition.NotEqual,
            BinaryOperatorKind.LessThan => Ir.Condition.Less,
            BinaryOperatorKind.LessThanOrEqual => Ir.Condition.LessOrEqual,
            BinaryOperatorKind.GreaterThan => Ir.Condition.Greater,
            BinaryOperatorKind.GreaterThanOrEqual => Ir.Condition.GreaterOrEqual,
            _ => null,
        };

        private static Condition Signed(Condition condition, bool signed) => !signed ? condition : condition switch
        {
            Ir.Condition.Less => Ir.Condition.SignedLess,
            Ir.Condition.LessOrEqual => Ir.Condition.SignedLessOrEqual,
            Ir.Condition.Greater => Ir.Condition.SignedGreater,
            Ir.Condition.GreaterOrEqual => Ir.Condition.SignedGreaterOrEqual,
            _ => condition,
        };

        private void Pattern(Scalar value, IPatternOperation pattern, IrBlock whenTrue, IrBlock whenFalse)
        {
            bool is32 = !TypeLayout.Is64(value.Type);
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                {
                    var c = Convert(Scalarize(Evaluate(constant.Value)), value.Type, explicitNumeric: true);
                    Branch(Ir.Condition.Equal, value.Operand, c.Operand, is32, whenTrue, whenFalse);
                    return;
                }
                case IRelationalPatternOperation relational:
                {
                    RefuseSyscallArithmetic(relational, value.Type);
                    var c = Convert(Scalarize(Evaluate(relational.Value)), value.Type, explicitNumeric: true);
                    var kind = ComparisonOf(relational.OperatorKind) ?? throw CompileError.Unsupported(pattern.Syntax, "this pattern", "use <, <=, >, >= or a constant");
                    Branch(Signed(kind, TypeLayout.IsSigned(value.Type)), value.Operand, c.Operand, is32, whenTrue, whenFalse);
                    return;
                }
                case IDiscardPatternOperation:
                    Jump(whenTrue);
                    return;
                case IDeclarationPatternOperation declaration when TypeLayout.IsScalar(value.Type):
                    if (declaration.DeclaredSymbol is ILocalSymbol local)
                        StoreInto(Variable(local, local.Type, false), value, pattern.Syntax);
                    Jump(whenTrue);
                    return;
                case ITypePatternOperation:
                    Jump(whenTrue);
                    return;
                case INegatedPatternOperation negated:
                    Pattern(value, negated.Pattern, whenFalse, whenTrue);
                    return;
                case IBinaryPatternOperation binary:
                {
                    var right = _function.NewBlock();
                    if (binary.OperatorKind == BinaryOperatorKind.And) Pattern(value, binary.LeftPattern, right, whenFalse);
                    else Pattern(value, binary.LeftPattern, whenTrue, right);
                    StartBlock(right);
                    Pattern(value, binary.RightPattern, whenTrue, whenFalse);
                    return;
                }
                default:
                    throw CompileError.Unsupported(pattern.Syntax, "this pattern", "use constant, relational, not/and/or or discard patterns on numbers and enums");
            }
        }
    }
}
