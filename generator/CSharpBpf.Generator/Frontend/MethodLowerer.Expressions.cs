using System.Linq;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    internal sealed partial class MethodLowerer
    {
        private Value Evaluate(IOperation op)
        {
            switch (op.Type?.SpecialType)
            {
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                    throw CompileError.Unsupported(BpfDiagnostics.FloatingPoint, op.Syntax, "floating point", "eBPF has no floating point: use integers (e.g. fixed point)");
                case SpecialType.System_String:
                    throw CompileError.Unsupported(BpfDiagnostics.Strings, op.Syntax, "a string", "strings exist in eBPF only as the argument of Bpf.Printk or BpfLog, or as the constant expression of ctx.Matches");
            }
            if (op.ConstantValue.HasValue && KnownTypes.Is(op.Type, Known.Syscall))
                return SyscallConstant(op);
            if (op.ConstantValue.HasValue && op.Type != null && TypeLayout.IsScalar(op.Type))
                return new Scalar(Operand.Const(Canonical(Constants.ToLong(op.ConstantValue.Value), op.Type)), op.Type);
            switch (op)
            {
                case ILocalReferenceOperation local:
                    return Variable(local.Local, local.Local.Type, local.Local.IsRef);
                case IParameterReferenceOperation parameter:
                    return Variable(parameter.Parameter, parameter.Parameter.Type, parameter.Parameter.RefKind != RefKind.None);
                case IDeclarationExpressionOperation declaration:
                    return Evaluate(declaration.Expression);
                case IFlowCaptureOperation capture:
                    Capture(capture);
                    return Void;
                case IFlowCaptureReferenceOperation reference:
                    return CaptureValue(reference);
                case IFieldReferenceOperation field:
                    return Field(field);
                case IPropertyReferenceOperation property:
                    return Property(property);
                case IInvocationOperation invocation:
                    return Invocation(invocation);
                case IConversionOperation conversion:
                    return Conversion(conversion);
                case IBinaryOperation binary:
                    return Binary(binary);
                case IUnaryOperation unary:
                    return Unary(unary);
                case ISimpleAssignmentOperation assignment:
                    return Assign(assignment);
                case ICompoundAssignmentOperation compound:
                    return CompoundAssign(compound);
                case IIncrementOrDecrementOperation increment:
                    return Increment(increment);
                case IDefaultValueOperation or IObjectCreationOperation { Arguments.Length: 0, Initializer: null } when op.Type is { IsValueType: true } && !TypeLayout.IsScalar(op.Type):
                {
                    var temp = StackTemporary(op.Type!);
                    Zero(temp);
                    return new Place(temp.Base, temp.Offset, temp.Type, temp.Kind, ownsBase: true);
                }
                case IDefaultValueOperation when op.Type != null:
                    return new Scalar(Operand.Const(0), op.Type);
                case IIsPatternOperation pattern:
                    return BoolFromCondition(pattern);
                case IDiscardOperation discard:
                    return TypeLayout.IsScalar(discard.Type!) ? new Scalar(Operand.Reg(NewRegister()), discard.Type!) : StackTemporary(discard.Type!);
                case ISizeOfOperation size:
                    return new Scalar(Operand.Const(TypeLayout.SizeOf(size.TypeOperand, _node)), size.Type!);
                case IAddressOfOperation address:
                    return new Scalar(AddressOf(AsPlace(Evaluate(address.Reference), address.Syntax)), address.Type!);
                case IInlineArrayAccessOperation element:
                    return InlineArrayElement(element);
                case IExpressionStatementOperation statement:
                    Evaluate(statement.Operation);
                    return Void;
                case IParenthesizedOperation parenthesized:
                    return Evaluate(parenthesized.Operand);
                case IEmptyOperation:
                    return Void;
                case IObjectCreationOperation { Arguments.Length: 1, Initializer: null } pointer when KernelTypes.IsKernelPointer(pointer.Type):
                    // new KernelPointer<T>(address): the address, now typed (libbpf's casts between flavours).
                    return new Scalar(Convert(Scalarize(Evaluate(pointer.Arguments[0].Value)), Known.UInt64, true).Operand, pointer.Type!);
                case IObjectCreationOperation creation when IsLpmKey(creation):
                {
                    var key = StackTemporary(creation.Type!);
                    LpmKeyInto(key, creation);
                    return new Place(key.Base, key.Offset, key.Type, key.Kind, ownsBase: true);
                }
                case IObjectCreationOperation:
                    throw CompileError.Unsupported(BpfDiagnostics.Allocation, op.Syntax, "object creation", "eBPF cannot allocate or run constructors: declare a struct local (or default) and assign its fields");
                case IAnonymousFunctionOperation or IDelegateCreationOperation:
                    throw CompileError.Unsupported(BpfDiagnostics.Lambda, op.Syntax, "a lambda or delegate", "eBPF has no indirect calls: call a static method of the object");
                case IArrayCreationOperation or IArrayElementReferenceOperation:
                    throw CompileError.Unsupported(BpfDiagnostics.Allocation, op.Syntax, "an array", "arrays live on the managed heap: use an [InlineArray] struct or a map");
                case IUtf8StringOperation:
                    throw CompileError.Unsupported(BpfDiagnostics.Strings, op.Syntax, $"the UTF-8 string {op.Syntax}", "a \"…\"u8 literal has an eBPF form only as the name in comm.Is(\"cat\"u8)");
                case IInterpolatedStringOperation:
                    throw CompileError.Unsupported(BpfDiagnostics.Strings, op.Syntax, "a string", "strings exist in eBPF only as the argument of Bpf.Printk or BpfLog, or as the constant expression of ctx.Matches");
                case { Kind: OperationKind.None } when op.Syntax is ElementAccessExpressionSyntax or PrefixUnaryExpressionSyntax or MemberAccessExpressionSyntax
                    && op.ChildOperations.FirstOrDefault()?.Type is IPointerTypeSymbol:
                    throw CompileError.Unsupported(op.Syntax, $"raw pointer access '{op.Syntax}'",
                        "the verifier needs every packet access bounds-checked: read with ctx.TryRead<T>(offset, out value) or write through ref ctx.GetRefOrNullRef<T>(offset)");
                default:
                    throw CompileError.Unsupported(op.Syntax, $"'{op.Syntax}'", $"this kind of expression ({Describe(op.Kind)}) has no eBPF lowering: see the subset in the README");
            }
        }

        private static readonly Value Void = new Scalar(Operand.Const(0), null!);

        /// <summary>An operation kind in words (`FieldInitializer` → "field initializer"), never an enum name or "None".</summary>
        private static string Describe(OperationKind kind)
        {
            if (kind == OperationKind.None) return "a construct Roslyn does not describe";
            var name = kind.ToString();
            var words = new System.Text.StringBuilder();
            foreach (char c in name)
            {
                if (char.IsUpper(c) && words.Length > 0) words.Append(' ');
                words.Append(char.ToLowerInvariant(c));
            }
            return words.ToString();
        }

        // ---- variables ----

        private Value Variable(ISymbol symbol, ITypeSymbol type, bool isRef) =>
            (!isRef || symbol is IParameterSymbol) && CarriedPlace(symbol, type, _blockOrdinal) is { } carried ? carried : OwnStorage(symbol, type, isRef);

        /// <summary>Where a local or parameter lives outside the iterator loops that carry it.</summary>
        private Value OwnStorage(ISymbol symbol, ITypeSymbol type, bool isRef = false)
        {
            if (!_locals.TryGetValue(symbol, out var storage))
            {
                if (isRef) storage = LocalStorage.Reference(NewRegister());
                else if (symbol is ILocalSymbol local && _frame!.TryGetOffset(local, out int offset))
                    storage = LocalStorage.InMemory(new Place(Operand.Frame, offset, type, PlaceKind.Stack));
                else if (TypeLayout.IsScalar(type) && !_addressTaken.Contains(symbol)) storage = LocalStorage.InRegister(NewRegister());
                else
                {
                    storage = LocalStorage.InMemory(StackTemporary(type, symbol.Name));
                    _keepTemporaries = true;
                    if (!TypeLayout.IsScalar(type)) ZeroAtEntry(storage.Place!);
                }
                _locals[symbol] = storage;
            }
            return storage.Kind switch
            {
                LocalKind.Register => new Scalar(Operand.Reg(storage.Register), type),
                LocalKind.Memory => storage.Place!,
                LocalKind.Reference => new Place(Operand.Reg(storage.Register), 0, type, PlaceKind.Memory),
                _ => new ContextValue(Operand.Reg(storage.Register), type),
            };
        }

        /// <summary>Zeroes a struct local once, where the function starts: .NET zero-initialises locals, so padding and
        /// fields C# never sees written (a struct written field by field, then used whole as a map key or record)
        /// must read as zero, not as stack garbage.</summary>
        private void ZeroAtEntry(Place place)
        {
            var saved = _current;
            _current = new IrBlock(-1);
            Zero(place);
            _function.Blocks[0].Instructions.InsertRange(0, _current.Instructions);
            _current = saved;
        }

        private void Capture(IFlowCaptureOperation capture)
        {
            _keepTemporaries = true; // a captured value is used by later operations, maybe from a temporary
            var value = Evaluate(capture.Value);
            // A captured number is its value, unless the capture is a ref (an arm of `cond ? ref a : ref b`).
            bool isReference = capture.Value.Syntax.Parent is RefExpressionSyntax || capture.Value.Syntax is RefExpressionSyntax || _placeCaptures.Contains(capture.Id);
            if (value is Place scalarPlace && TypeLayout.IsScalar(scalarPlace.Type) && !isReference)
                value = Scalarize(value);
            // A local in a register captured as the target of an assignment (`a = c ? 1 : 2` on a declared local,
            // `a += …`) is the local itself: a copy would take the store and drop it.
            if (value is Scalar { Operand.IsRegister: true } && _placeCaptures.Contains(capture.Id) && !_multiplyAssigned.Contains(capture.Id))
            {
                _captureValues[capture.Id] = value;
                return;
            }
            if (value is Scalar scalar && (_multiplyAssigned.Contains(capture.Id) || scalar.Operand.IsRegister))
            {
                // A capture assigned on several paths (a ternary's arms) needs one register all paths write.
                if (!_captureRegisters.TryGetValue(capture.Id, out int register))
                    _captureRegisters[capture.Id] = register = NewRegister();
                Move(register, scalar.Operand);
                _captureValues[capture.Id] = new Scalar(Operand.Reg(register), scalar.Type);
                return;
            }
            if (value is Place place && _multiplyAssigned.Contains(capture.Id))
            {
                if (!_captureRegisters.TryGetValue(capture.Id, out int register))
                    _captureRegisters[capture.Id] = register = NewRegister();
                Move(register, AddressOf(place));
                _captureValues[capture.Id] = new Place(Operand.Reg(register), 0, place.Type, PlaceKind.Memory);
                return;
            }
            _captureValues[capture.Id] = value;
        }

        private Value CaptureValue(IFlowCaptureReferenceOperation reference)
        {
            if (_captureValues.TryGetValue(reference.Id, out var value)) return value;
            throw CompileError.Unsupported(reference.Syntax, $"'{reference.Syntax}'", "the compiler could not follow this value across branches; assign it to a local first");
        }

        // ---- fields and properties ----

        private Value Field(IFieldReferenceOperation reference)
        {
            var field = reference.Field;
            if (field.IsStatic)
            {
                if (!SymbolEqualityComparer.Default.Equals(field.ContainingType, _scope.ObjectType))
                    throw CompileError.Unsupported(reference.Syntax, $"static field '{field.Name}' of another type", "only the object's own static fields (maps and globals) exist in eBPF; use a const");
                var map = _scope.TryGetMap(field, reference.Syntax);
                if (map != null) return new MapReference(map, field.Type);
                var global = _scope.GetGlobal(field, reference.Syntax);
                int address = NewRegister();
                Emit(new IrInstruction(IrOp.GlobalAddress) { Dst = address, Symbol = global.Section, Offset = global.Offset });
                return new Place(Operand.Reg(address), 0, field.Type, PlaceKind.Memory);
            }
            var evaluated = Evaluate(reference.Instance!);
            if (evaluated is KernelPlace kernel) return KernelField(kernel, field, reference.Syntax);
            var instance = AsPlace(evaluated, reference.Syntax);
            return instance.At(TypeLayout.OffsetOf(field, reference.Syntax), field.Type);
        }

        private Value Property(IPropertyReferenceOperation reference)
        {
            var property = reference.Property;
            if (property.Name == "Current" && IsRangeEnumerator(reference.Instance?.Type)) return RangeCurrent(reference);
            if (KernelTypes.IsKernelPointer(reference.Instance?.Type)) return KernelPointerProperty(reference);
            if (reference.Instance != null && KernelTypes.KernelName(property.ContainingType) != null)
                return KernelProperty(reference);
            if (KnownTypes.Is(property.ContainingType, Known.SeccompAction) && property.IsStatic)
                return SeccompActionProperty(property, reference.Syntax);
            if (reference.Instance != null && IsContextType(reference.Instance.Type!))
                return ContextProperty((ContextValue)Evaluate(reference.Instance), property, reference.Syntax);
            var field = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfFieldAttribute");
            if (field != null && reference.Instance != null)
                return HeaderField(AsPlace(Evaluate(reference.Instance), reference.Syntax), property, field);
            throw CompileError.Unsupported(reference.Syntax, $"property '{property.ContainingType.Name}.{property.Name}'", "use fields, or the properties of CSharpBpf's headers and contexts");
        }

        /// <summary>A header property: raw bytes at an offset, byte-swapped from network order, then an optional bit field.</summary>
        private Value HeaderField(Place header, IPropertySymbol property, AttributeData field)
        {
            int offset = (int)field.ConstructorArguments[0].Value!;
            object? Named(string name) => field.NamedArguments.FirstOrDefault(n => n.Key == name).Value.Value;
            bool networkOrder = Named("NetworkOrder") is true;
            int rawSize = Named("RawSize") is int r && r > 0 ? r : TypeLayout.SizeOf(property.Type, _node);
            int shift = Named("Shift") is int s ? s : 0;
            ulong mask = Named("Mask") is ulong m ? m : 0;
            int scale = Named("Scale") is int k && k > 0 ? k : 1;
            if (!TypeLayout.IsScalar(property.Type)) return header.At(offset, property.Type);
            return ReadBitField(header.At(offset, property.Type), rawSize, networkOrder, shift, mask, scale);
        }

        // ---- assignments ----

        private Value Assign(ISimpleAssignmentOperation assignment)
        {
            if (assignment.IsRef)
            {
                var target = (ILocalReferenceOperation)assignment.Target;
                var place = AsPlace(Evaluate(assignment.Value), assignment.Value.Syntax);
                if (target.IsDeclaration && !_locals.ContainsKey(target.Local) && place is { OwnsBase: true, Offset: 0, Base.IsRegister: true })
                    _locals[target.Local] = LocalStorage.Reference(place.Base.Register); // take over the fresh register: no copy
                else
                    Move(EnsureReferenceLocal(target.Local), AddressOf(place));
                return Variable(target.Local, target.Local.Type, true);
            }
            if (assignment.Target is IPropertyReferenceOperation property && property.Instance != null && !IsContextType(property.Instance.Type!))
                return AssignHeaderField(property, Evaluate(assignment.Value));
            if (assignment.Target is IPropertyReferenceOperation contextProperty)
                return AssignContextProperty(contextProperty, ToOperand(Evaluate(assignment.Value)));
            // `T x = default`, `= new T()`, `= new LpmKey<…>(…)` on a local with planned bytes: built in place, no temporary.
            var initial = WithoutConversions(assignment.Value);
            var lpmKey = initial is IObjectCreationOperation creation && IsLpmKey(creation) ? creation : null;
            if (assignment.Target is ILocalReferenceOperation { IsDeclaration: true } planned && _frame!.TryGetOffset(planned.Local, out _)
                && !TypeLayout.IsScalar(planned.Local.Type) && (lpmKey != null || IsZeroStruct(initial)))
            {
                var place = (Place)Variable(planned.Local, planned.Local.Type, false);
                if (lpmKey != null) LpmKeyInto(place, lpmKey);
                else Zero(place);
                return place;
            }
            var value = Evaluate(assignment.Value);
            // `T x = new LpmKey<…>(…)` on a local without planned bytes: the fresh temporary becomes x itself, no copy.
            if (assignment.Target is ILocalReferenceOperation { IsDeclaration: true } declared && !_locals.ContainsKey(declared.Local) && !_frame!.TryGetOffset(declared.Local, out _)
                && value is Place { OwnsBase: true, Kind: PlaceKind.Stack } fresh && !TypeLayout.IsScalar(fresh.Type))
            {
                _locals[declared.Local] = LocalStorage.InMemory(new Place(fresh.Base, fresh.Offset, declared.Local.Type, PlaceKind.Stack));
                _keepTemporaries = true;
                _function.NameStackUser(fresh.Offset, declared.Local.Name, declared.Local.Locations.FirstOrDefault());
                return fresh;
            }
            var destination = Evaluate(assignment.Target);
            return StoreInto(destination, value, assignment.Syntax);
        }

        private static bool IsLpmKey(IObjectCreationOperation creation) => creation.Type?.OriginalDefinition.ToDisplayString() == "CSharpBpf.LpmKey<TData>";

        /// <summary>new LpmKey&lt;T&gt;(prefixLength, data) written into <paramref name="key"/>.</summary>
        private void LpmKeyInto(Place key, IObjectCreationOperation creation)
        {
            if (TypeLayout.HasHoles(creation.Type!, creation.Syntax)) Zero(key); // padding must match the zeroed keys in the map
            var fields = creation.Type!.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic).ToArray();
            foreach (var argument in creation.Arguments)
            {
                var field = fields.First(f => string.Equals(f.Name, argument.Parameter!.Name, System.StringComparison.OrdinalIgnoreCase));
                StoreInto(key.At(TypeLayout.OffsetOf(field, creation.Syntax), field.Type), Evaluate(argument.Value), argument.Syntax);
            }
        }

        private static IOperation WithoutConversions(IOperation value)
        {
            // `default` arrives as a default-literal conversion of a typeless default value.
            while (value is IConversionOperation conversion && (conversion.Conversion.IsIdentity || conversion.Operand is IDefaultValueOperation)) value = conversion.Operand;
            return value;
        }

        /// <summary>`default` or `new T()`: a struct of zeroes.</summary>
        internal static bool IsZeroStruct(IOperation value)
        {
            value = WithoutConversions(value);
            return value is IDefaultValueOperation or IObjectCreationOperation { Arguments.Length: 0, Initializer: null };
        }

        private int EnsureReferenceLocal(ILocalSymbol local)
        {
            if (!_locals.TryGetValue(local, out var storage)) _locals[local] = storage = LocalStorage.Reference(NewRegister());
            return storage.Register;
        }

        private Value StoreInto(Value destination, Value value, SyntaxNode at)
        {
            switch (destination)
            {
                case Scalar { Operand.IsRegister: true } register:
                    Move(register.Operand.Register, ToOperand(value));
                    return register;
                case Place place when TypeLayout.IsScalar(place.Type):
                    Store(place, ToOperand(value));
                    return place;
                case Place place:
                    Copy(place, AsPlace(value, at));
                    return place;
                default:
                    throw CompileError.Unsupported(at, $"assignment to '{at}'", "assign locals, fields, map values by ref, or header properties");
            }
        }

        private Value AssignHeaderField(IPropertyReferenceOperation property, Value value)
        {
            var attribute = property.Property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfFieldAttribute")
                ?? throw CompileError.Unsupported(property.Syntax, $"property '{property.Property.Name}'", "only the properties of CSharpBpf's headers can be assigned");
            int offset = (int)attribute.ConstructorArguments[0].Value!;
            bool networkOrder = attribute.NamedArguments.Any(n => n.Key == "NetworkOrder" && n.Value.Value is true);
            if (attribute.NamedArguments.Any(n => n.Key is "Shift" or "Mask" or "Scale" or "RawSize"))
                throw CompileError.Unsupported(property.Syntax, $"assignment to bit field '{property.Property.Name}'", "write the whole byte through the header's raw fields");
            var header = AsPlace(Evaluate(property.Instance!), property.Syntax);
            var place = header.At(offset, property.Property.Type);
            if (!TypeLayout.IsScalar(place.Type))
            {
                Copy(place, AsPlace(value, property.Syntax));
                return place;
            }
            var operand = ToOperand(value);
            int size = TypeLayout.SizeOf(place.Type, _node);
            if (networkOrder && size > 1) operand = Operand.Reg(ByteSwap(operand, size));
            Store(place, operand);
            return value;
        }

        private Value CompoundAssign(ICompoundAssignmentOperation compound)
        {
            var target = Evaluate(compound.Target);
            var current = new Scalar(ToOperand(target), compound.Target.Type!);
            // C# computes `b op= x` on a byte, sbyte, short, ushort or char in int, then narrows (shifts included).
            bool narrow = compound.Target.Type!.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16
                or SpecialType.System_UInt16 or SpecialType.System_Char;
            var left = narrow ? Convert(current, Known.Int32, explicitNumeric: true)
                : compound.InConversion.Exists && !compound.InConversion.IsIdentity ? Convert(current, compound.Type!, explicitNumeric: true)
                : current;
            var right = Scalarize(Evaluate(compound.Value));
            var result = Arithmetic(compound.OperatorKind, left, right, left.Type, compound.Syntax);
            var narrowed = Convert(result, compound.Target.Type!, explicitNumeric: true);
            return StoreInto(target, narrowed, compound.Syntax);
        }

        private Value Increment(IIncrementOrDecrementOperation increment)
        {
            var target = Evaluate(increment.Target);
            var type = increment.Target.Type!;
            var before = Scalarize(target);
            var old = before;
            if (increment.IsPostfix && before.Operand.IsRegister)
            {
                int copy = NewRegister();
                Move(copy, before.Operand);
                old = new Scalar(Operand.Reg(copy), type);
            }
            var kind = increment.Kind == OperationKind.Increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract;
            var computeType = TypeLayout.Is64(type) ? type : Known.Int32;
            var result = Convert(Arithmetic(kind, before, new Scalar(Operand.Const(1), computeType), computeType, increment.Syntax), type, explicitNumeric: true);
            StoreInto(target, result, increment.Syntax);
            return increment.IsPostfix ? old : result;
        }

        // ---- values in registers and memory ----

        private Scalar Scalarize(Value value) => value as Scalar ?? new Scalar(ToOperand(value), value.Type);

        private Operand ToOperand(Value value)
        {
            switch (value)
            {
                case Scalar scalar:
                    return scalar.Operand;
                case Place place when TypeLayout.IsScalar(place.Type):
                    return Operand.Reg(Load(place));
                case ContextValue context:
                    return context.Pointer;
                case KernelPlace kernel when TypeLayout.IsScalar(kernel.Type):
                    return ReadKernelScalar(kernel);
                default:
                    throw CompileError.Unsupported(_node, $"'{_node}'", "a struct value is used where a number is expected");
            }
        }

        private Place AsPlace(Value value, SyntaxNode at)
        {
            if (value is Place place) return place;
            if (value is KernelPlace kernel) return ReadKernelStruct(kernel);
            if (value is Scalar scalar && scalar.Type != null && TypeLayout.IsScalar(scalar.Type))
            {
                var temp = StackTemporary(scalar.Type);
                Store(temp, scalar.Operand);
                return temp;
            }
            throw CompileError.Unsupported(at, $"'{at}'", "this value has no address in eBPF");
        }

        private Operand AddressOf(Place place)
        {
            if (place.Base.IsFrame)
            {
                int r = NewRegister();
                Emit(new IrInstruction(IrOp.FrameAddress) { Dst = r, Offset = place.Offset });
                return Operand.Reg(r);
            }
            if (place.Kind == PlaceKind.Context)
                throw CompileError.Unsupported(_node, $"the address of '{_node}'", "the verifier allows only loads at fixed offsets from the context: copy the value into a local first");
            if (place.Offset == 0) return place.Base;
            int address = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = address, Alu = AluOperation.Add, A = place.Base, B = Operand.Const(place.Offset) });
            return Operand.Reg(address);
        }

        private Operand InRegister(Operand operand)
        {
            if (operand.IsRegister) return operand;
            int r = NewRegister();
            Move(r, operand);
            return Operand.Reg(r);
        }

        private void Move(int destination, Operand source) =>
            Emit(new IrInstruction(IrOp.Move) { Dst = destination, A = source });

        private int Load(Place place)
        {
            int size = TypeLayout.SizeOf(place.Type, _node);
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.Load) { Dst = r, A = place.Base, Offset = place.Offset, Size = size });
            if (size < 4 && TypeLayout.IsSigned(place.Type))
            {
                int extended = NewRegister();
                Emit(new IrInstruction(IrOp.SignExtend) { Dst = extended, A = Operand.Reg(r), Size = size });
                return extended;
            }
            return r;
        }

        private void Store(Place place, Operand value)
        {
            int size = TypeLayout.SizeOf(place.Type, _node);
            Emit(new IrInstruction(IrOp.Store) { A = place.Base, Offset = place.Offset, Size = size, B = value });
        }

        /// <summary>Copies a struct in the widest pieces both sides' alignment allows (the verifier
        /// insists on aligned stack access; packet and map memory take any).</summary>
        private void Copy(Place destination, Place source)
        {
            int size = TypeLayout.SizeOf(destination.Type, _node);
            int done = 0;
            while (done < size)
            {
                int chunk = Chunk(size - done, destination, source, done);
                int r = NewRegister();
                Emit(new IrInstruction(IrOp.Load) { Dst = r, A = source.Base, Offset = source.Offset + done, Size = chunk });
                Emit(new IrInstruction(IrOp.Store) { A = destination.Base, Offset = destination.Offset + done, Size = chunk, B = Operand.Reg(r) });
                done += chunk;
            }
        }

        private void Zero(Place destination)
        {
            int size = TypeLayout.SizeOf(destination.Type, _node);
            int done = 0;
            var zero = InRegister(Operand.Const(0));
            while (done < size)
            {
                int chunk = Chunk(size - done, destination, destination, done);
                Emit(new IrInstruction(IrOp.Store) { A = destination.Base, Offset = destination.Offset + done, Size = chunk, B = zero });
                done += chunk;
            }
        }

        private static int Chunk(int remaining, Place a, Place b, int done)
        {
            foreach (int chunk in new[] { 8, 4, 2, 1 })
            {
                if (chunk > remaining) continue;
                if (a.Kind is PlaceKind.Stack or PlaceKind.Context && (a.Offset + done) % chunk != 0) continue;
                if (b.Kind is PlaceKind.Stack or PlaceKind.Context && (b.Offset + done) % chunk != 0) continue;
                return chunk;
            }
            return 1;
        }

        private int ByteSwap(Operand value, int size)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.ByteSwap) { Dst = r, A = InRegister(value), Size = size });
            return r;
        }

        private Value InlineArrayElement(IInlineArrayAccessOperation element)
        {
            var array = AsPlace(Evaluate(element.Instance), element.Syntax);
            int elementSize = TypeLayout.SizeOf(element.Type!, element.Syntax);
            int length = TypeLayout.SizeOf(element.Instance.Type!, element.Syntax) / elementSize;
            var argument = element.Argument;
            if (argument.ConstantValue.HasValue && argument.ConstantValue.Value is int index)
            {
                if (index < 0 || index >= length)
                    throw CompileError.Unsupported(argument.Syntax, $"index {index}", $"it is outside the array's {length} elements");
                return array.At(index * elementSize, element.Type!);
            }
            // .NET throws on an index outside the array and eBPF cannot, so the index's range must be proven: then the
            // two agree on every input.
            string bound = (length & (length - 1)) == 0 ? $"'[... & {length - 1}]' or '[(int)((uint)... % {length})]'" : $"'[(int)((uint)... % {length})]'";
            if (ValueRange.Maximum(argument, _model) is not long maximum || maximum >= length)
                throw CompileError.Unsupported(argument.Syntax, $"inline-array index '{argument.Syntax}'",
                    $"its range is not proven to lie within the array's {length} elements: bound it with {bound}, or use a for-loop counter below {length}");
            if (elementSize % 8 != 0 && (elementSize & (elementSize - 1)) != 0)
                throw CompileError.Unsupported(argument.Syntax, $"a variable index into an array of {elementSize}-byte elements",
                    "the verifier needs aligned stack access: use elements of 1, 2, 4 or a multiple of 8 bytes, or a constant index");
            // The verifier must know the variable offset's bounds too; it tracks masks and loop counters, and this test
            // (never true: the range is proven) covers the rest, such as remainders.
            int clamped = NewRegister();
            Move(clamped, Convert(Scalarize(Evaluate(argument)), Known.UInt64, true).Operand);
            var outside = _function.NewBlock();
            var inside = _function.NewBlock();
            Branch(Ir.Condition.Greater, Operand.Reg(clamped), Operand.Const(length - 1), false, outside, inside);
            StartBlock(outside);
            Move(clamped, Operand.Const(0));
            Jump(inside);
            StartBlock(inside);
            int offset = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = offset, Alu = AluOperation.Mul, A = Operand.Reg(clamped), B = Operand.Const(elementSize) });
            int address = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = address, Alu = AluOperation.Add, A = AddressOf(array), B = Operand.Reg(offset) });
            return new Place(Operand.Reg(address), 0, element.Type!, array.Kind == PlaceKind.Stack ? PlaceKind.Stack : PlaceKind.Memory);
        }
    }
}
