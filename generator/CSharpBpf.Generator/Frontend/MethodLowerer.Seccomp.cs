using System.Linq;
using CSharpBpf.Bytecode.Classic.Seccomp;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // seccomp: SeccompData's fields, SeccompAction's values and Syscall names, lowered for one architecture.
    internal sealed partial class MethodLowerer
    {
        /// <summary>A field of struct seccomp_data: nr and arch are 32-bit, the instruction pointer and args 64-bit.</summary>
        private Value SeccompDataProperty(ContextValue context, IPropertySymbol property, SyntaxNode at)
        {
            (int Offset, ITypeSymbol Type)? field = property.Name switch
            {
                "Nr" => (SeccompAbi.NrOffset, Known.Int32),
                // The call by name is the number itself, compared with this architecture's numbers (SyscallConstant).
                "Syscall" => (SeccompAbi.NrOffset, Known.UInt32),
                "Arch" => (SeccompAbi.ArchOffset, Known.UInt32),
                "InstructionPointer" => (SeccompAbi.InstructionPointerOffset, Known.UInt64),
                _ when property.Name.Length == 4 && property.Name.StartsWith("Arg") && property.Name[3] is >= '0' and <= '5' => (SeccompAbi.ArgsOffset + 8 * (property.Name[3] - '0'), Known.UInt64),
                _ => null,
            };
            if (field is not { } f) throw CompileError.Unsupported(at, $"'SeccompData.{property.Name}'", "a filter reads Nr, Syscall, Arch, InstructionPointer and Arg0–Arg5");
            return new Scalar(Operand.Reg(Load(new Place(context.Pointer, f.Offset, f.Type, PlaceKind.Context))), property.Type);
        }

        /// <summary>A <c>Syscall</c> member as this architecture's number; one the architecture lacks as -1, which no
        /// zero-extended 32-bit number equals (as in .NET, where <c>SeccompData.Syscall</c> never equals it there).</summary>
        private Scalar SyscallConstant(IOperation op)
        {
            long ordinal = Constants.ToLong(op.ConstantValue.Value);
            if (!op.Type!.GetMembers().OfType<IFieldSymbol>().Any(f => f.HasConstantValue && Constants.ToLong(f.ConstantValue) == ordinal))
                throw CompileError.Unsupported(op.Syntax, $"the Syscall value {ordinal}", "name the call (Syscall.Openat), or compare data.Nr with a number");
            return new Scalar(Operand.Const(SyscallTable.Number(_architecture, ordinal) ?? -1L), op.Type);
        }

        /// <summary>Refuses what would make a Syscall value mean different things in a filter and in .NET: arithmetic,
        /// ordering, and conversions to or from numbers (the filter holds the number, .NET the name's ordinal).</summary>
        private void RefuseSyscallArithmetic(IOperation op, ITypeSymbol? type)
        {
            if (KnownTypes.Is(type, Known.Syscall))
                throw CompileError.Unsupported(op.Syntax, "arithmetic, ordering or number conversions of a Syscall",
                    "compare data.Syscall with == or != against a Syscall member, or use data.Nr for the number");
        }

        /// <summary>SeccompAction's actions (Allow, KillProcess, …) as their SECCOMP_RET_* values.</summary>
        private Value SeccompActionProperty(IPropertySymbol property, SyntaxNode at)
        {
            uint? value = property.Name switch
            {
                "KillProcess" => SeccompAbi.KillProcess,
                "KillThread" => SeccompAbi.KillThread,
                "Trap" => SeccompAbi.Trap,
                "UserNotify" => SeccompAbi.UserNotify,
                "Log" => SeccompAbi.Log,
                "Allow" => SeccompAbi.Allow,
                _ => null,
            };
            if (value == null) throw CompileError.Unsupported(at, $"'SeccompAction.{property.Name}'", "return one of SeccompAction's actions");
            return new Scalar(Operand.Const(value.Value), property.Type);
        }

        /// <summary>SeccompAction.Errno(n) and Trace(n): the action with the low 16 bits of n as its data.</summary>
        private Value SeccompActionMethod(IInvocationOperation invocation)
        {
            long action = invocation.TargetMethod.Name switch
            {
                "Errno" => SeccompAbi.Errno,
                "Trace" => SeccompAbi.Trace,
                _ => throw CompileError.Unsupported(invocation.Syntax, $"'SeccompAction.{invocation.TargetMethod.Name}'", "use SeccompAction.Errno(n), SeccompAction.Trace(n) or an action property"),
            };
            var data = Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt32, explicitNumeric: true).Operand;
            if (data.IsConstant) return new Scalar(Operand.Const(action | (data.Constant & SeccompAbi.DataMask)), invocation.Type!);
            int masked = NewRegister(), value = NewRegister();
            Emit(new IrInstruction(IrOp.Alu32) { Dst = masked, Alu = Bytecode.Isa.AluOperation.And, A = data, B = Operand.Const(SeccompAbi.DataMask) });
            Emit(new IrInstruction(IrOp.Alu32) { Dst = value, Alu = Bytecode.Isa.AluOperation.Or, A = Operand.Reg(masked), B = Operand.Const(action) });
            return new Scalar(Operand.Reg(value), invocation.Type!);
        }
    }
}
