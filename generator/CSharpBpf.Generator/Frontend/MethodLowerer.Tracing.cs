using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // The tracing side of the API: probe reads, signals, stack ids, perf and ring-buffer records, in-kernel aggregation
    // (histograms, statistics) and BpfLog.
    internal sealed partial class MethodLowerer
    {
        private const int PerfEventArrayMap = 4;
        private const ulong CurrentCpu = 0xffffffff; // BPF_F_CURRENT_CPU
        private const int NoExist = 1;               // BPF_NOEXIST

        /// <summary>Bpf.ProbeRead*(address, out value): the helper writes straight into the target when it is memory,
        /// else into a stack temporary copied out after the call.</summary>
        private Value ProbeRead(IInvocationOperation invocation, int helper)
        {
            var type = invocation.TargetMethod.TypeArguments[0];
            var address = Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt64, true).Operand;
            var target = Evaluate(Argument(invocation, 1));
            var buffer = target is Place { Kind: PlaceKind.Stack or PlaceKind.Memory } place ? place : StackTemporary(type);
            var result = CallHelper(helper, AddressOf(buffer), Operand.Const(TypeLayout.SizeOf(type, invocation.Syntax)), address);
            if (!ReferenceEquals(buffer, target)) StoreInto(target, buffer, invocation.Syntax);
            return new Scalar(result, invocation.TargetMethod.ReturnType);
        }

        private Operand ContextArgument(IInvocationOperation invocation, int ordinal) =>
            Evaluate(Argument(invocation, ordinal)) is ContextValue context ? context.Pointer
                : throw CompileError.Unsupported(Argument(invocation, ordinal).Syntax, $"'{Argument(invocation, ordinal).Syntax}'", "pass the program's context parameter");

        /// <summary>perfEvents.Output(ctx, value): bpf_perf_event_output into the current CPU's buffer.</summary>
        private Operand PerfOutput(MapDeclaration map, IInvocationOperation invocation)
        {
            var type = invocation.TargetMethod.TypeArguments[1];
            var context = ContextArgument(invocation, 0);
            var data = AddressOfArgument(Argument(invocation, 1), type);
            return CallHelper(HelperIds.PerfEventOutput, context, MapAddress(map), Operand.Const(unchecked((long)CurrentCpu)), data, Operand.Const(TypeLayout.SizeOf(type, invocation.Syntax)));
        }

        /// <summary>The tracing map methods that are not conditions: ring-buffer reservations, stack ids, Record.</summary>
        private Value? TracingMapMethod(MapDeclaration map, IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "Reserve":
                {
                    var type = method.TypeArguments[0];
                    var record = CallHelper(HelperIds.RingbufReserve, MapAddress(map), Operand.Const(TypeLayout.SizeOf(type, invocation.Syntax)), Operand.Const(0));
                    return new Place(record, 0, type, PlaceKind.Memory, ownsBase: true);
                }
                case "Submit":
                case "Discard":
                {
                    var record = AddressOf(AsPlace(Evaluate(Argument(invocation, 0)), invocation.Syntax));
                    Emit(new IrInstruction(IrOp.CallHelper) { Helper = method.Name == "Submit" ? HelperIds.RingbufSubmit : HelperIds.RingbufDiscard, Arguments = new[] { record, Operand.Const(0) } });
                    return Void;
                }
                case "GetStackId":
                {
                    var context = ContextArgument(invocation, 0);
                    var flags = invocation.Arguments.Length > 1 ? ToOperand(Evaluate(Argument(invocation, 1))) : Operand.Const(0);
                    return new Scalar(CallHelper(HelperIds.GetStackId, context, MapAddress(map), flags), method.ReturnType);
                }
                case "Record" when map.Class == "BpfStatistics":
                    RecordStatistics(map, invocation);
                    return Void;
                case "Record" when map.Class == "BpfKeyedHistogram":
                    CountInKeyedSlot(map, invocation);
                    return Void;
                case "Record":
                    CountInSlot(map, map.Class == "BpfLog2Histogram" ? Log2Slot(Argument(invocation, 0)) : LinearSlot(map, invocation));
                    return Void;
                default:
                    return null;
            }
        }

        /// <summary>floor(log2 v) + 1 for v &gt; 0, 0 for 0, by halving the search range six times (no loop for the verifier).</summary>
        private Operand Log2Slot(IOperation argument)
        {
            var value = Convert(Scalarize(Evaluate(argument)), Known.UInt64, true).Operand;
            int v = NewRegister(), n = NewRegister(), shifted = NewRegister();
            Move(v, value);
            Move(n, Operand.Const(0));
            foreach (int shift in new[] { 32, 16, 8, 4, 2, 1 })
            {
                Emit(new IrInstruction(IrOp.Alu) { Dst = shifted, Alu = AluOperation.Rsh, A = Operand.Reg(v), B = Operand.Const(shift) });
                var take = _function.NewBlock();
                var next = _function.NewBlock();
                Branch(Ir.Condition.Equal, Operand.Reg(shifted), Operand.Const(0), false, next, take);
                StartBlock(take);
                Move(v, Operand.Reg(shifted));
                Emit(new IrInstruction(IrOp.Alu) { Dst = n, Alu = AluOperation.Add, A = Operand.Reg(n), B = Operand.Const(shift) });
                Jump(next);
                StartBlock(next);
            }
            // v is now 1 for any non-zero input and 0 for zero.
            int slot = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = slot, Alu = AluOperation.Add, A = Operand.Reg(n), B = Operand.Reg(v) });
            return Operand.Reg(slot);
        }

        /// <summary>0 below the minimum, (v - minimum) / step + 1 inside, the last slot at the maximum and above.</summary>
        private Operand LinearSlot(MapDeclaration map, IInvocationOperation invocation)
        {
            long minimum = map.Parameters[0], maximum = map.Parameters[1], step = map.Parameters[2];
            var value = InRegister(Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.Int64, true).Operand);
            int slot = NewRegister();
            var below = _function.NewBlock();
            var notBelow = _function.NewBlock();
            var above = _function.NewBlock();
            var inside = _function.NewBlock();
            var done = _function.NewBlock();
            Branch(Ir.Condition.SignedLess, value, Operand.Const(minimum), false, below, notBelow);
            StartBlock(below);
            Move(slot, Operand.Const(0));
            Jump(done);
            StartBlock(notBelow);
            Branch(Ir.Condition.SignedGreaterOrEqual, value, Operand.Const(maximum), false, above, inside);
            StartBlock(above);
            Move(slot, Operand.Const(map.MaxEntries - 1));
            Jump(done);
            StartBlock(inside);
            Emit(new IrInstruction(IrOp.Alu) { Dst = slot, Alu = AluOperation.Sub, A = value, B = Operand.Const(minimum) });
            Emit(new IrInstruction(IrOp.Alu) { Dst = slot, Alu = AluOperation.Div, A = Operand.Reg(slot), B = Operand.Const(step) });
            Emit(new IrInstruction(IrOp.Alu) { Dst = slot, Alu = AluOperation.Add, A = Operand.Reg(slot), B = Operand.Const(1) });
            Jump(done);
            StartBlock(done);
            return Operand.Reg(slot);
        }

        /// <summary>Adds one to the histogram's counter at <paramref name="slot"/> (this CPU's, so no other CPU contends).</summary>
        private void CountInSlot(MapDeclaration map, Operand slot)
        {
            var key = StackTemporary(Known.UInt32);
            Store(key, slot);
            int counter = NewRegister();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = counter, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(map), AddressOf(key) } });
            var found = _function.NewBlock();
            var done = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(counter), Operand.Const(0), false, done, found);
            StartBlock(found);
            Emit(new IrInstruction(IrOp.Atomic) { A = Operand.Reg(counter), Offset = 0, Size = 8, B = Operand.Const(1), Atomic = AtomicOperation.Add });
            Jump(done);
            StartBlock(done);
        }

        /// <summary>histograms.Record(key, value): this CPU's counter for (key, log2 slot), created at 1 when absent. The
        /// key is built in a zeroed stack slot, since the hash compares its padding too.</summary>
        private void CountInKeyedSlot(MapDeclaration map, IInvocationOperation invocation)
        {
            var keyType = (INamedTypeSymbol)map.KeyType!;
            var userKey = keyType.TypeArguments[0];
            var key = StackTemporary(keyType);
            Zero(key);
            var keyField = keyType.GetMembers("Key").OfType<IFieldSymbol>().Single();
            var slotField = keyType.GetMembers("Slot").OfType<IFieldSymbol>().Single();
            StoreInto(key.At(TypeLayout.OffsetOf(keyField, _node), userKey), Evaluate(Argument(invocation, 0)), invocation.Syntax);
            Store(key.At(TypeLayout.OffsetOf(slotField, _node), Known.UInt32), Log2Slot(Argument(invocation, 1)));

            var found = _function.NewBlock();
            var done = _function.NewBlock();
            int counter = LookupOrInsert(map, AddressOf(key), () =>
            {
                var one = StackTemporary(Known.UInt64);
                Store(one, Operand.Const(1));
                return one;
            }, found, done);
            StartBlock(found);
            Emit(new IrInstruction(IrOp.Atomic) { A = Operand.Reg(counter), Offset = 0, Size = 8, B = Operand.Const(1), Atomic = AtomicOperation.Add });
            Jump(done);
            StartBlock(done);
        }

        /// <summary>Looks <paramref name="key"/> up and continues at <paramref name="found"/> with the entry in the returned
        /// register. When absent, inserts what <paramref name="initial"/> emits (BPF_NOEXIST) and continues at
        /// <paramref name="done"/>, the new entry already counting this value; when another program inserted it first, looks
        /// again and counts in theirs.</summary>
        private int LookupOrInsert(MapDeclaration map, Operand key, System.Func<Place> initial, IrBlock found, IrBlock done)
        {
            int entry = NewRegister();
            var create = _function.NewBlock();
            var retry = _function.NewBlock();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = entry, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(map), key } });
            Branch(Ir.Condition.Equal, Operand.Reg(entry), Operand.Const(0), false, create, found);
            StartBlock(create);
            var created = CallHelper(HelperIds.MapUpdateElem, MapAddress(map), key, AddressOf(initial()), Operand.Const(NoExist));
            Branch(Ir.Condition.Equal, created, Operand.Const(0), true, done, retry);
            StartBlock(retry);
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = entry, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(map), key } });
            Branch(Ir.Condition.Equal, Operand.Reg(entry), Operand.Const(0), false, done, found);
            return entry;
        }

        /// <summary>statistics.Record(key, value): this CPU's count, sum, min and max for the key. A key another CPU created
        /// reads as zeros here, so a zero count means "first value" rather than a real minimum of 0.</summary>
        private void RecordStatistics(MapDeclaration map, IInvocationOperation invocation)
        {
            var key = AddressOfArgument(Argument(invocation, 0), map.KeyType!);
            var value = InRegister(Convert(Scalarize(Evaluate(Argument(invocation, 1))), Known.Int64, true).Operand);
            var update = _function.NewBlock();
            var done = _function.NewBlock();
            int entry = LookupOrInsert(map, key, () =>
            {
                var first = StackTemporary(map.ValueType!);
                Store(first.At(0, Known.Int64), Operand.Const(1));
                foreach (int offset in new[] { 8, 16, 24 }) Store(first.At(offset, Known.Int64), value);
                return first;
            }, update, done);

            StartBlock(update);
            var statistics = new Place(Operand.Reg(entry), 0, map.ValueType!, PlaceKind.Memory);
            var count = Operand.Reg(Load(statistics.At(0, Known.Int64)));
            var firstHere = _function.NewBlock();
            var compareMin = _function.NewBlock();
            var setMin = _function.NewBlock();
            var compareMax = _function.NewBlock();
            var setMax = _function.NewBlock();
            var totals = _function.NewBlock();
            Branch(Ir.Condition.Equal, count, Operand.Const(0), false, firstHere, compareMin);
            StartBlock(firstHere);
            Store(statistics.At(16, Known.Int64), value);
            Store(statistics.At(24, Known.Int64), value);
            Jump(totals);
            StartBlock(compareMin);
            Branch(Ir.Condition.SignedLess, value, Operand.Reg(Load(statistics.At(16, Known.Int64))), false, setMin, compareMax);
            StartBlock(setMin);
            Store(statistics.At(16, Known.Int64), value);
            Jump(compareMax);
            StartBlock(compareMax);
            Branch(Ir.Condition.SignedGreater, value, Operand.Reg(Load(statistics.At(24, Known.Int64))), false, setMax, totals);
            StartBlock(setMax);
            Store(statistics.At(24, Known.Int64), value);
            Jump(totals);
            StartBlock(totals);
            Emit(new IrInstruction(IrOp.Atomic) { A = Operand.Reg(entry), Offset = 0, Size = 8, B = Operand.Const(1), Atomic = AtomicOperation.Add });
            Emit(new IrInstruction(IrOp.Atomic) { A = Operand.Reg(entry), Offset = 8, Size = 8, B = value, Atomic = AtomicOperation.Add });
            Jump(done);
            StartBlock(done);
        }

        // ---- BpfLog ----

        /// <summary>Microsoft.Extensions.Logging.LogLevel of each BpfLog method.</summary>
        private static readonly Dictionary<string, int> LogLevels = new Dictionary<string, int>
        {
            ["Trace"] = 0, ["Debug"] = 1, ["Info"] = 2, ["Warn"] = 3, ["Error"] = 4,
        };

        /// <summary>BpfLog.Info($"…{a}…"): the template stays in the skeleton. With number holes only, the program calls
        /// the shared __bpf_log_emit{n}(site, values…) subprogram; text holes (byte [InlineArray]s such as Comm) are
        /// copied into a reserved ring-buffer record in place. A record is the site, then one 8-byte slot per number and
        /// the text's bytes (rounded up to 8) per text.</summary>
        private Value Log(IInvocationOperation invocation)
        {
            var argument = Argument(invocation, 0);
            if (argument is IConversionOperation conversion) argument = conversion.Operand;
            var template = new StringBuilder();
            var kinds = new List<LogValue>();
            var holes = new List<Value>();
            if (argument is ILiteralOperation { ConstantValue.Value: string literal })
                template.Append(EscapeBraces(literal));
            else if (argument is IInterpolatedStringOperation interpolated)
            {
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation text)
                    {
                        template.Append(EscapeBraces((string)text.Text.ConstantValue.Value!));
                        continue;
                    }
                    var hole = (IInterpolationOperation)part;
                    if (holes.Count == 4)
                        throw CompileError.At(BpfDiagnostics.LogFormat, hole.Syntax, "it has more than 4 holes");
                    var syntax = (InterpolationSyntax)hole.Syntax;
                    template.Append('{').Append(HoleName(hole.Expression, holes.Count));
                    if (syntax.AlignmentClause != null) template.Append(syntax.AlignmentClause.ToString());
                    if (syntax.FormatClause != null) template.Append(syntax.FormatClause.ToString());
                    template.Append('}');
                    var (kind, value) = LogHole(hole);
                    kinds.Add(kind);
                    holes.Add(value);
                }
            }
            else
                throw CompileError.At(BpfDiagnostics.LogFormat, argument.Syntax, "the argument is not an interpolated string");

            var span = invocation.Syntax.GetLocation().GetLineSpan();
            string source = $"{System.IO.Path.GetFileName(span.Path)}:{span.StartLinePosition.Line + 1}";
            int site = _scope.LogSites.Count;
            _scope.LogSites.Add(new LogSite(LogLevels[invocation.TargetMethod.Name], template.ToString(), kinds.ToArray(), source));
            if (holes.All(h => h is Scalar))
            {
                _scope.RequestLogEmitter(holes.Count, invocation.Syntax);
                var arguments = new List<Operand> { Operand.Const(site) };
                arguments.AddRange(holes.Select(h => ((Scalar)h).Operand));
                Emit(new IrInstruction(IrOp.CallLocal) { Symbol = LogEmitter.NameOf(holes.Count), Arguments = arguments });
            }
            else
                LogRecordInPlace(_scope.RequestLogMap(), site, holes);
            return Void;
        }

        /// <summary>A hole's kind and size for the reader and its value: a 64-bit scalar, or the
        /// place of a byte [InlineArray].</summary>
        private (LogValue Kind, Value Value) LogHole(IInterpolationOperation hole)
        {
            var type = hole.Expression.Type!;
            if (TypeLayout.IsByteArray(type))
                return (new LogValue("Text", TypeLayout.SizeOf(type, hole.Syntax)), AsPlace(Evaluate(hole.Expression), hole.Syntax));
            if (!TypeLayout.IsScalar(type) || type is IPointerTypeSymbol)
                throw CompileError.At(BpfDiagnostics.LogFormat, hole.Syntax, $"'{hole.Expression.Syntax}' is not an integer, bool, enum or byte [InlineArray] such as Comm (the record carries numbers and text; the template stays in user space)");
            var enumUnderlying = (type as INamedTypeSymbol)?.EnumUnderlyingType;
            bool signed = TypeLayout.IsSigned(enumUnderlying ?? type);
            var value = Scalarize(Evaluate(hole.Expression));
            return (new LogValue(type.SpecialType == SpecialType.System_Boolean ? "Boolean" : signed ? "Signed" : "Unsigned", 8),
                signed ? Convert(value, Known.Int64, true) : value);
        }

        /// <summary>Reserve → fill (site, numbers, text) → submit; nothing is written when the buffer is full.</summary>
        private void LogRecordInPlace(MapDeclaration map, int site, List<Value> holes)
        {
            int size = 8 + holes.Sum(h => h is Place text ? (TypeLayout.SizeOf(text.Type, _node) + 7) / 8 * 8 : 8);
            var record = CallHelper(HelperIds.RingbufReserve, MapAddress(map), Operand.Const(size), Operand.Const(0));
            var reserved = _function.NewBlock();
            var done = _function.NewBlock();
            Branch(Ir.Condition.Equal, record, Operand.Const(0), false, done, reserved);
            StartBlock(reserved);
            Store(new Place(record, 0, Known.UInt64, PlaceKind.Memory), Operand.Const(site));
            int offset = 8;
            foreach (var hole in holes)
            {
                if (hole is Place text)
                {
                    Copy(new Place(record, offset, text.Type, PlaceKind.Memory), text);
                    offset += (TypeLayout.SizeOf(text.Type, _node) + 7) / 8 * 8;
                    continue;
                }
                Store(new Place(record, offset, Known.UInt64, PlaceKind.Memory), InRegister(((Scalar)hole).Operand));
                offset += 8;
            }
            Emit(new IrInstruction(IrOp.CallHelper) { Helper = HelperIds.RingbufSubmit, Arguments = new[] { record, Operand.Const(0) } });
            Jump(done);
            StartBlock(done);
        }

        private static string EscapeBraces(string text) => text.Replace("{", "{{").Replace("}", "}}");

        /// <summary>The hole's name in the template: the last identifier of the expression (ctx.Args.Fd → Fd), else Arg{n}.</summary>
        private static string HoleName(IOperation expression, int index)
        {
            var syntax = expression.Syntax;
            string? name = syntax switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.Text,
                MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
                _ => null,
            };
            if (name == null) return "Arg" + index;
            return char.ToUpperInvariant(name[0]) + name.Substring(1);
        }
    }
}
