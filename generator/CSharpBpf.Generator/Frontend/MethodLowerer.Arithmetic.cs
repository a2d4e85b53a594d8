using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    internal sealed partial class MethodLowerer
    {
        /// <summary>The register pattern of a constant of <paramref name="type"/>: 64-bit types in full,
        /// narrower ones as their 32-bit (int-promoted) pattern, zero-extended.</summary>
        private static long Canonical(long value, ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_Boolean) return value != 0 ? 1 : 0;
            if (TypeLayout.Is64(type)) return value;
            bool signed = TypeLayout.IsSigned(type);
            long truncated = TypeLayout.ScalarSize(type) switch
            {
                1 => signed ? (sbyte)value : (byte)value,
                2 => signed ? (short)value : (ushort)value,
                _ => signed ? (int)value : (uint)value,
            };
            return (uint)truncated;
        }

        /// <summary>The C# value a canonical register pattern of <paramref name="type"/> stands for.</summary>
        private static long RealValue(long canonical, ITypeSymbol type)
        {
            if (TypeLayout.Is64(type)) return canonical;
            return TypeLayout.IsSigned(type) ? (int)canonical : (uint)canonical;
        }

        private Scalar Constant(long value, ITypeSymbol type) => new Scalar(Operand.Const(Canonical(value, type)), type);

        private Value Binary(IBinaryOperation binary)
        {
            if (binary.OperatorMethod is { } equality && (KnownTypes.Is(equality.ContainingType, Known.Comm) || KernelTypes.IsKernelPointer(equality.ContainingType)))
                return BoolFromCondition(binary);
            if (binary.OperatorMethod != null)
                throw CompileError.Unsupported(binary.Syntax, $"user-defined operator '{binary.OperatorMethod.Name}'", "operators on your own types are calls; write the arithmetic on fields");
            if (binary.IsChecked)
                throw CompileError.Unsupported(binary.Syntax, "checked arithmetic", "eBPF cannot throw OverflowException: use unchecked arithmetic and test the bounds");
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.Equals:
                case BinaryOperatorKind.NotEquals:
                case BinaryOperatorKind.LessThan:
                case BinaryOperatorKind.LessThanOrEqual:
                case BinaryOperatorKind.GreaterThan:
                case BinaryOperatorKind.GreaterThanOrEqual:
                case BinaryOperatorKind.ConditionalAnd:
                case BinaryOperatorKind.ConditionalOr:
                    return BoolFromCondition(binary);
            }
            RefuseSyscallArithmetic(binary, binary.LeftOperand.Type);
            RefuseSyscallArithmetic(binary, binary.RightOperand.Type);
            var left = Scalarize(Evaluate(binary.LeftOperand));
            var right = Scalarize(Evaluate(binary.RightOperand));
            if (binary.Type is IPointerTypeSymbol || left.Type is IPointerTypeSymbol)
                return PointerArithmetic(binary, left, right);
            return Arithmetic(binary.OperatorKind, left, right, binary.Type!, binary.Syntax);
        }

        private Value PointerArithmetic(IBinaryOperation binary, Scalar left, Scalar right)
        {
            if (left.Type is IPointerTypeSymbol lp && right.Type is IPointerTypeSymbol && binary.OperatorKind == BinaryOperatorKind.Subtract)
            {
                var bytes = Arithmetic(BinaryOperatorKind.Subtract, new Scalar(left.Operand, Known.Int64), new Scalar(right.Operand, Known.Int64), Known.Int64, binary.Syntax);
                int size = TypeLayout.SizeOf(lp.PointedAtType, binary.Syntax);
                return size == 1 ? new Scalar(bytes.Operand, binary.Type!) : Arithmetic(BinaryOperatorKind.Divide, bytes, Constant(size, Known.Int64), binary.Type!, binary.Syntax);
            }
            if (right.Type is IPointerTypeSymbol) (left, right) = (right, left);
            var pointer = (IPointerTypeSymbol)left.Type;
            if (binary.OperatorKind != BinaryOperatorKind.Add && binary.OperatorKind != BinaryOperatorKind.Subtract)
                throw CompileError.Unsupported(binary.Syntax, $"pointer {binary.OperatorKind}", "pointers only move by adding or subtracting integers");
            int elementSize = pointer.PointedAtType.SpecialType == SpecialType.System_Void ? 1 : TypeLayout.SizeOf(pointer.PointedAtType, binary.Syntax);
            var offset = Convert(right, Known.Int64, explicitNumeric: true);
            if (elementSize != 1) offset = Arithmetic(BinaryOperatorKind.Multiply, offset, Constant(elementSize, Known.Int64), Known.Int64, binary.Syntax);
            var result = Arithmetic(binary.OperatorKind, new Scalar(left.Operand, Known.Int64), offset, Known.Int64, binary.Syntax);
            return new Scalar(result.Operand, binary.Type!);
        }

        private Scalar Arithmetic(BinaryOperatorKind kind, Scalar left, Scalar right, ITypeSymbol type, SyntaxNode at)
        {
            bool wide = TypeLayout.Is64(type);
            bool signed = TypeLayout.IsSigned(type);
            if (kind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
                right = ShiftCount(right, wide);
            if (left.Operand.IsConstant && right.Operand.IsConstant)
                return Constant(Fold(kind, RealValue(left.Operand.Constant, type), RealValue(right.Operand.Constant, right.Type ?? type), type, at), type);

            AluOperation op;
            switch (kind)
            {
                case BinaryOperatorKind.Add: op = AluOperation.Add; break;
                case BinaryOperatorKind.Subtract: op = AluOperation.Sub; break;
                case BinaryOperatorKind.Multiply: op = AluOperation.Mul; break;
                case BinaryOperatorKind.Divide: op = AluOperation.Div; break;
                case BinaryOperatorKind.Remainder: op = AluOperation.Mod; break;
                case BinaryOperatorKind.And: op = AluOperation.And; break;
                case BinaryOperatorKind.Or: op = AluOperation.Or; break;
                case BinaryOperatorKind.ExclusiveOr: op = AluOperation.Xor; break;
                case BinaryOperatorKind.LeftShift: op = AluOperation.Lsh; break;
                case BinaryOperatorKind.RightShift: op = signed ? AluOperation.Arsh : AluOperation.Rsh; break;
                case BinaryOperatorKind.UnsignedRightShift: op = AluOperation.Rsh; break;
                default:
                    throw CompileError.Unsupported(at, $"operator {kind}", "it has no eBPF instruction");
            }
            if ((op == AluOperation.Div || op == AluOperation.Mod) && (!right.Operand.IsConstant || right.Operand.Constant == 0))
                throw CompileError.At(BpfDiagnostics.VariableDivisor, at);
            var a = left.Operand;
            var b = right.Operand;
            if (a.IsConstant && (op == AluOperation.Add || op == AluOperation.Mul || op == AluOperation.And || op == AluOperation.Or || op == AluOperation.Xor))
                (a, b) = (b, a);
            if (op == AluOperation.Mul && b.IsConstant && b.Constant > 0 && (b.Constant & (b.Constant - 1)) == 0)
            {
                op = AluOperation.Lsh;
                b = Operand.Const(Log2(b.Constant));
            }
            // Unsigned division and remainder by a power of two as a shift and a mask, as clang does: the verifier tracks
            // those exactly (a remainder is unknown to it before Linux 6.x), so an index `(uint)x % 8` needs no test.
            if (!signed && op is AluOperation.Div or AluOperation.Mod && b.IsConstant && b.Constant > 0 && (b.Constant & (b.Constant - 1)) == 0)
            {
                (op, b) = op == AluOperation.Div ? (AluOperation.Rsh, Operand.Const(Log2(b.Constant))) : (AluOperation.And, Operand.Const(b.Constant - 1));
            }
            int r = NewRegister();
            Emit(new IrInstruction(wide ? IrOp.Alu : IrOp.Alu32) { Dst = r, Alu = op, A = a, B = b, Signed = signed });
            // Arithmetic of a type narrower than int cannot appear (C# promotes), so the 32-bit result is canonical.
            return new Scalar(Operand.Reg(r), type);
        }

        private static int Log2(long value)
        {
            int n = 0;
            while ((1L << n) != value) n++;
            return n;
        }

        private Scalar ShiftCount(Scalar count, bool wide)
        {
            int mask = wide ? 63 : 31;
            if (count.Operand.IsConstant) return new Scalar(Operand.Const(count.Operand.Constant & mask), count.Type);
            // C# masks the count; eBPF leaves an oversized shift undefined.
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.Alu32) { Dst = r, Alu = AluOperation.And, A = count.Operand, B = Operand.Const(mask) });
            return new Scalar(Operand.Reg(r), Known.Int32);
        }

        private static long Fold(BinaryOperatorKind kind, long a, long b, ITypeSymbol type, SyntaxNode at)
        {
            bool wide = TypeLayout.Is64(type);
            bool signed = TypeLayout.IsSigned(type);
            int mask = wide ? 63 : 31;
            unchecked
            {
                switch (kind)
                {
                    case BinaryOperatorKind.Add: return a + b;
                    case BinaryOperatorKind.Subtract: return a - b;
                    case BinaryOperatorKind.Multiply: return a * b;
                    case BinaryOperatorKind.And: return a & b;
                    case BinaryOperatorKind.Or: return a | b;
                    case BinaryOperatorKind.ExclusiveOr: return a ^ b;
                    case BinaryOperatorKind.LeftShift: return wide ? a << (int)(b & mask) : (int)a << (int)(b & mask);
                    case BinaryOperatorKind.RightShift:
                        if (wide) return signed ? a >> (int)(b & mask) : (long)((ulong)a >> (int)(b & mask));
                        return signed ? (int)a >> (int)(b & mask) : (uint)a >> (int)(b & mask);
                    case BinaryOperatorKind.UnsignedRightShift: return wide ? (long)((ulong)a >> (int)(b & mask)) : (uint)a >> (int)(b & mask);
                    case BinaryOperatorKind.Divide when b != 0: return signed ? a / b : (long)((ulong)a / (ulong)b);
                    case BinaryOperatorKind.Remainder when b != 0: return signed ? a % b : (long)((ulong)a % (ulong)b);
                    default: throw CompileError.Unsupported(at, $"constant {kind}", "it divides by zero or has no eBPF form");
                }
            }
        }

        private Value Unary(IUnaryOperation unary)
        {
            if (unary.OperatorMethod != null)
                throw CompileError.Unsupported(unary.Syntax, "a user-defined operator", "operators on your own types are calls");
            if (unary.OperatorKind == UnaryOperatorKind.Not) return BoolFromCondition(unary);
            var operand = Scalarize(Evaluate(unary.Operand));
            var type = unary.Type!;
            return unary.OperatorKind switch
            {
                UnaryOperatorKind.Plus => operand,
                UnaryOperatorKind.Minus => Arithmetic(BinaryOperatorKind.Subtract, Constant(0, type), operand, type, unary.Syntax),
                UnaryOperatorKind.BitwiseNegation => Arithmetic(BinaryOperatorKind.ExclusiveOr, operand, Constant(-1, type), type, unary.Syntax),
                _ => throw CompileError.Unsupported(unary.Syntax, $"operator {unary.OperatorKind}", "it has no eBPF form"),
            };
        }

        private Value Conversion(IConversionOperation conversion)
        {
            if (conversion.OperatorMethod != null)
                throw CompileError.Unsupported(conversion.Syntax, "a user-defined conversion", "convert field by field");
            if (!conversion.Conversion.IsIdentity)
            {
                RefuseSyscallArithmetic(conversion, conversion.Type);
                RefuseSyscallArithmetic(conversion, conversion.Operand.Type);
            }
            var value = Evaluate(conversion.Operand);
            var to = conversion.Type!;
            if (!TypeLayout.IsScalar(to))
            {
                if (value is Place p && TypeLayout.IsScalar(p.Type) == false) return new Place(p.Base, p.Offset, to, p.Kind, p.OwnsBase); // a fresh `default` stays fresh: its declaration takes it over
                if (conversion.Conversion.IsIdentity) return value;
                throw CompileError.Unsupported(conversion.Syntax, $"conversion to '{to.ToDisplayString()}'", "only numbers, enums and pointers convert in eBPF");
            }
            if (conversion.IsChecked && conversion.Conversion.IsNumeric)
                throw CompileError.Unsupported(conversion.Syntax, "a checked conversion", "eBPF cannot throw OverflowException: use unchecked");
            if (value is ContextValue)
                throw CompileError.Unsupported(conversion.Syntax, "converting the context", "read its properties instead");
            return Convert(Scalarize(value), to, explicitNumeric: true);
        }

        /// <summary>Converts between scalar types with C#'s truncation and extension.</summary>
        private Scalar Convert(Scalar value, ITypeSymbol to, bool explicitNumeric)
        {
            var from = value.Type;
            if (from == null || SymbolEqualityComparer.Default.Equals(from, to)) return new Scalar(value.Operand, to);
            if (value.Operand.IsConstant)
                return new Scalar(Operand.Const(Canonical(RealValue(value.Operand.Constant, from), to)), to);
            int fromSize = TypeLayout.ScalarSize(from), toSize = TypeLayout.ScalarSize(to);
            bool fromSigned = TypeLayout.IsSigned(from), toSigned = TypeLayout.IsSigned(to);
            if (fromSize == 0 || toSize == 0) return new Scalar(value.Operand, to);
            int r;
            if (toSize == 8)
            {
                if (fromSize == 8 || !fromSigned || value.NonNegative) return new Scalar(value.Operand, to);
                r = NewRegister();
                Emit(new IrInstruction(IrOp.SignExtend) { Dst = r, A = value.Operand, Size = 4, Signed = true });
                return new Scalar(Operand.Reg(r), to);
            }
            if (to.SpecialType == SpecialType.System_Boolean)
                return new Scalar(value.Operand, to);
            bool same = (fromSize < toSize && (!fromSigned || toSigned)) || (fromSize == toSize && fromSigned == toSigned) || (fromSize == toSize && toSize == 4);
            if (same && fromSize <= 4) return new Scalar(value.Operand, to);
            r = NewRegister();
            if (toSize == 4)
                Emit(new IrInstruction(IrOp.Alu32) { Dst = r, Alu = AluOperation.Mov, B = value.Operand }); // truncate and zero-extend
            else if (toSigned)
                Emit(new IrInstruction(IrOp.SignExtend) { Dst = r, A = value.Operand, Size = toSize, Signed = false });
            else
                Emit(new IrInstruction(IrOp.Alu32) { Dst = r, Alu = AluOperation.And, A = value.Operand, B = Operand.Const(toSize == 1 ? 0xff : 0xffff) });
            return new Scalar(Operand.Reg(r), to);
        }

        private Scalar ReadBitField(Place place, int rawSize, bool networkOrder, int shift, ulong mask, int scale)
        {
            var type = place.Type;
            var raw = new Place(place.Base, place.Offset, RawType(rawSize), place.Kind);
            var value = Operand.Reg(Load(raw));
            if (networkOrder && rawSize > 1) value = Operand.Reg(ByteSwap(value, rawSize));
            var computeType = rawSize == 8 ? Known.UInt64 : Known.UInt32;
            var result = new Scalar(value, computeType);
            if (shift != 0) result = Arithmetic(BinaryOperatorKind.RightShift, result, Constant(shift, Known.Int32), computeType, _node);
            if (mask != 0) result = Arithmetic(BinaryOperatorKind.And, result, Constant((long)mask, computeType), computeType, _node);
            if (scale != 1) result = Arithmetic(BinaryOperatorKind.Multiply, result, Constant(scale, computeType), computeType, _node);
            return new Scalar(result.Operand, type);
        }

        private ITypeSymbol RawType(int size) => size switch
        {
            1 => Known.Byte,
            2 => _scope.Compilation.GetSpecialType(SpecialType.System_UInt16),
            4 => Known.UInt32,
            _ => Known.UInt64,
        };
    }
}
