using System.Linq;
using CSharpBpf.Bytecode.Core;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // Kernel structures through CO-RE: KernelPointer<T>.Value and the [KernelType] fields read through it become
    // bpf_probe_read_kernel calls whose offsets carry CO-RE relocations (libbpf's BPF_CORE_READ), and the Bpf.FieldExists,
    // FieldSize, TypeExists and EnumValue queries become constants the loader sets from the kernel's BTF.
    internal sealed partial class MethodLowerer
    {
        /// <summary>pointer.Value: the [KernelType] struct at the pointer's address, not yet read.</summary>
        private Value KernelPointerProperty(IPropertyReferenceOperation reference)
        {
            var pointer = Scalarize(Evaluate(reference.Instance!)).Operand;
            switch (reference.Property.Name)
            {
                case "Value" when KernelTypes.PointedAt(reference.Instance!.Type!) is { } target:
                    if (KernelTypes.KernelName(target) == null)
                        throw CompileError.Unsupported(reference.Syntax, $"'{reference.Syntax}'", $"{target.Name} is not a [KernelType] struct: declare it with [KernelType(\"kernel_name\")] (csbpf btf generate writes them)");
                    return new KernelPlace(InRegister(pointer), target, System.Array.Empty<int>(), 0, target);
                case "Address":
                    return new Scalar(pointer, reference.Type!);
                case "IsNull":
                {
                    int result = NewRegister();
                    Move(result, Operand.Const(1));
                    var done = _function.NewBlock();
                    var notNull = _function.NewBlock();
                    Branch(Ir.Condition.Equal, pointer, Operand.Const(0), false, done, notNull);
                    StartBlock(notNull);
                    Move(result, Operand.Const(0));
                    Jump(done);
                    StartBlock(done);
                    return new Scalar(Operand.Reg(result), reference.Type!);
                }
                default:
                    throw CompileError.Unsupported(reference.Syntax, $"'KernelPointer.{reference.Property.Name}'", "it has no eBPF lowering");
            }
        }

        /// <summary>A [KernelField] property of a kernel struct (a typed pointer, a bitfield): through CO-RE when the
        /// struct is in kernel memory, else from the copy's bytes as the property's own code reads them.</summary>
        private Value KernelProperty(IPropertyReferenceOperation reference)
        {
            var property = reference.Property;
            var evaluated = Evaluate(reference.Instance!);
            if (evaluated is KernelPlace kernel) return KernelField(kernel, property, reference.Syntax);
            var member = KernelTypes.Members(property.ContainingType).FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.Symbol, property));
            if (member.Symbol == null)
                throw CompileError.Unsupported(reference.Syntax, $"property '{property.ContainingType.Name}.{property.Name}'", "read the kernel struct's [KernelField] fields and properties");
            var copy = AsPlace(evaluated, reference.Syntax);
            if (member.Bits == 0) return copy.At(member.BitOffset / 8, member.Type);
            // The generated property reads the widest word (8, 4, 2 or 1 bytes) that fits the struct from the bitfield's byte.
            int byteOffset = member.BitOffset / 8, size = TypeLayout.SizeOf(property.ContainingType, reference.Syntax);
            int width = byteOffset + 8 <= size ? 8 : byteOffset + 4 <= size ? 4 : byteOffset + 2 <= size ? 2 : 1;
            ulong mask = member.Bits >= 64 ? ulong.MaxValue : (1UL << member.Bits) - 1;
            return ReadBitField(copy.At(byteOffset, member.Type), width, false, member.BitOffset - byteOffset * 8, mask, 1);
        }

        /// <summary>A member of a kernel struct (a field, or a [KernelField] property: a typed pointer or a bitfield): the
        /// access path grows by the member's index.</summary>
        private Value KernelField(KernelPlace place, ISymbol member, SyntaxNode at)
        {
            var container = member.ContainingType;
            if (KernelTypes.KernelName(container) == null)
                throw CompileError.Unsupported(at, $"'{at}'", $"{container.Name} is not a [KernelType] struct, so its fields have no kernel names to relocate by: copy it out first");
            var members = KernelTypes.Members(container);
            int index = members.ToList().FindIndex(m => SymbolEqualityComparer.Default.Equals(m.Symbol, member));
            if (index < 0)
                throw CompileError.Unsupported(at, $"'{at}'", $"{container.Name}.{member.Name} is not a member of the kernel struct: read a [KernelField] field or property");
            var found = members[index];
            var field = place.Member(found.Type, index, found.BitOffset / 8);
            return found.Bits > 0 ? new Scalar(ReadKernelBitfield(field, place.Offset * 8 + found.BitOffset, found.Bits), found.Type) : field;
        }

        /// <summary>A bitfield, as libbpf's BPF_CORE_READ_BITFIELD_PROBED reads it: the bytes that hold it (their offset
        /// and size relocated) into the low bytes of a zeroed u64, then shifted left and right by the relocated amounts
        /// that leave the field's bits. Zero-extended, as the generated property's unsigned type reads it in .NET. The
        /// instructions hold the values for this declaration, computed as libbpf computes them (bpf_core_calc_field_relo),
        /// which checks them before it patches.</summary>
        private Operand ReadKernelBitfield(KernelPlace field, int bitOffset, int bits)
        {
            int byteSize = TypeLayout.SizeOf(field.Type, _node);
            int byteOffset = bitOffset / 8 / byteSize * byteSize;
            while (bitOffset + bits - byteOffset * 8 > byteSize * 8 && byteSize < 8)
            {
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
            var slot = StackTemporary(Known.UInt64);
            Store(slot, Operand.Const(0));
            int offset = CoreValue(field.Root, field.AccessString, CoreRelocationKind.FieldByteOffset, byteOffset);
            int size = CoreValue(field.Root, field.AccessString, CoreRelocationKind.FieldByteSize, byteSize);
            int address = Alu(AluOperation.Add, field.Base, Operand.Reg(offset));
            CallHelper(HelperIds.ProbeReadKernel, AddressOf(slot), Operand.Reg(size), Operand.Reg(address));
            int left = CoreValue(field.Root, field.AccessString, CoreRelocationKind.FieldLeftShift, 64 - (bitOffset + bits - byteOffset * 8));
            int shifted = Alu(AluOperation.Lsh, Operand.Reg(Load(slot)), Operand.Reg(left));
            int right = CoreValue(field.Root, field.AccessString, CoreRelocationKind.FieldRightShift, 64 - bits);
            return Operand.Reg(Alu(AluOperation.Rsh, Operand.Reg(shifted), Operand.Reg(right)));
        }

        /// <summary>Reads a kernel field into <paramref name="destination"/> (its size as declared here; the offset the
        /// kernel's): bpf_probe_read_kernel(&amp;destination, size, base + relocated offset). Zeroes when unreadable.</summary>
        private void ReadKernel(KernelPlace place, Place destination)
        {
            int offset = CoreValue(place.Root, place.AccessString, CoreRelocationKind.FieldByteOffset, place.Offset);
            int address = Alu(AluOperation.Add, place.Base, Operand.Reg(offset));
            CallHelper(HelperIds.ProbeReadKernel, AddressOf(destination), Operand.Const(TypeLayout.SizeOf(place.Type, _node)), Operand.Reg(address));
        }

        private Operand ReadKernelScalar(KernelPlace place)
        {
            var slot = StackTemporary(place.Type);
            ReadKernel(place, slot);
            return Operand.Reg(Load(slot));
        }

        private Place ReadKernelStruct(KernelPlace place)
        {
            var slot = StackTemporary(place.Type);
            ReadKernel(place, slot);
            return slot;
        }

        private int CoreValue(ITypeSymbol root, string access, CoreRelocationKind kind, long local)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.CoreValue) { Dst = r, CoreType = root, Symbol = access, Helper = (int)kind, Offset = (int)local });
            return r;
        }

        /// <summary>Bpf.GetCurrentTask, FieldExists, FieldSize, TypeExists and EnumValue.</summary>
        private Value? KernelQuery(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "GetCurrentTask":
                {
                    var task = method.TypeArguments[0];
                    if (KernelTypes.KernelName(task) is not string name || Bytecode.Core.CoreRelocator.EssentialName(name) != "task_struct")
                        throw CompileError.Unsupported(invocation.Syntax, $"Bpf.GetCurrentTask<{task.Name}>", "the type argument must be the [KernelType(\"task_struct\")] struct (or a task_struct___flavour)");
                    // BTF-typed programs get the task as a pointer the verifier knows the type of (bpf_get_current_task_btf).
                    bool typed = _programKind is ProgramKind.Tracing or ProgramKind.Lsm;
                    return new Scalar(CallHelper(typed ? HelperIds.GetCurrentTaskBtf : HelperIds.GetCurrentTask), method.ReturnType);
                }
                case "CoreRead":
                {
                    var argument = Argument(invocation, 0);
                    if (Evaluate(argument) is not KernelPlace field)
                        throw CompileError.Unsupported(argument.Syntax, $"Bpf.CoreRead({argument.Syntax})", "pass a field of a kernel struct read through a KernelPointer, e.g. task.Value.RealParent.Value.Tgid");
                    return TypeLayout.IsScalar(field.Type) ? new Scalar(ReadKernelScalar(field), field.Type) : ReadKernelStruct(field);
                }
                case "FieldExists":
                case "FieldSize":
                {
                    var argument = Argument(invocation, 0);
                    if (Evaluate(argument) is not KernelPlace { Members.Count: > 0 } field)
                        throw CompileError.Unsupported(argument.Syntax, $"Bpf.{method.Name}({argument.Syntax})", "pass a field of a kernel struct read through a KernelPointer, e.g. task.Value.RealParent");
                    bool exists = method.Name == "FieldExists";
                    long local = exists ? 1 : TypeLayout.SizeOf(field.Type, argument.Syntax);
                    return new Scalar(Operand.Reg(CoreValue(field.Root, field.AccessString, exists ? CoreRelocationKind.FieldExists : CoreRelocationKind.FieldByteSize, local)), method.ReturnType);
                }
                case "TypeExists":
                {
                    var type = method.TypeArguments[0];
                    if (KernelTypes.KernelName(type) == null)
                        throw CompileError.Unsupported(invocation.Syntax, $"Bpf.TypeExists<{type.Name}>", "the type argument must be a [KernelType] struct or enum");
                    return new Scalar(Operand.Reg(CoreValue(type, "0", CoreRelocationKind.TypeExists, 1)), method.ReturnType);
                }
                case "EnumValue":
                {
                    var type = method.TypeArguments[0];
                    var argument = Argument(invocation, 0);
                    var enumerator = ((argument is IConversionOperation conversion ? conversion.Operand : argument) as IFieldReferenceOperation)?.Field;
                    if (KernelTypes.KernelName(type) == null || enumerator is not { HasConstantValue: true })
                        throw CompileError.Unsupported(argument.Syntax, $"Bpf.EnumValue({argument.Syntax})", "pass a member of a [KernelType] enum, e.g. Bpf.EnumValue(CgroupSubsysId.CpuCgrpId)");
                    int index = type.GetMembers().OfType<IFieldSymbol>().Where(m => m.HasConstantValue).ToList().FindIndex(m => SymbolEqualityComparer.Default.Equals(m, enumerator));
                    return new Scalar(Operand.Reg(CoreValue(type, index.ToString(System.Globalization.CultureInfo.InvariantCulture), CoreRelocationKind.EnumValue,
                        Constants.ToLong(enumerator.ConstantValue))), method.ReturnType);
                }
                default:
                    return null;
            }
        }
    }
}
