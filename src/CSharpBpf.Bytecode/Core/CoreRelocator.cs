using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Core
{
    /// <summary>
    /// Applies an object's CO-RE relocations against a target BTF (the running kernel's), as libbpf's relo_core.c does:
    /// each relocation names a type of the object's own BTF and an access path ("0:12:3": element 0 of the root pointer,
    /// member 12, member 3); the relocator finds the kernel types with the same essential name (the name before a
    /// <c>___flavour</c> suffix) and kind, walks the same member names through each (anonymous structs and unions looked
    /// into), checks the field types are compatible, and patches the instruction with what the kernel's layout gives:
    /// the immediate of an ALU or 64-bit load, or the offset of a memory access. Candidates that disagree are an error
    /// naming both; a field no candidate has answers 0 to FieldExists and poisons any other instruction (libbpf's call to
    /// helper 0xbad2310), which the verifier refuses only if the program can reach it. As in libbpf, what vmlinux has no
    /// candidate for is looked for in the kernel modules' BTF (split BTF on top of vmlinux), one module after another.
    /// </summary>
    public sealed class CoreRelocator
    {
        /// <summary>The helper number a poisoned instruction calls (libbpf's 0xbad2310): the verifier's "invalid func
        /// unknown#195896080" means the program reached a relocation the kernel could not satisfy.</summary>
        public const int PoisonHelper = 0xbad2310;

        private readonly IReadOnlyList<BtfType> _target;
        private readonly Dictionary<string, List<int>> _byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        private readonly IReadOnlyList<CoreRelocator> _modules;

        /// <summary>A relocator against <paramref name="target"/>: BTF types with ids from 1 in list order.</summary>
        public CoreRelocator(IReadOnlyList<BtfType> target) : this(target, 1, Array.Empty<CoreRelocator>()) { }

        /// <summary>A relocator against vmlinux's <paramref name="target"/>, then, for what vmlinux lacks, each module's
        /// (each a relocator over vmlinux's types followed by the module's, from <see cref="ForModule"/>).</summary>
        public CoreRelocator(IReadOnlyList<BtfType> target, IReadOnlyList<CoreRelocator> modules) : this(target, 1, modules) { }

        /// <summary>A relocator over a module's split BTF <paramref name="types"/> (vmlinux's, then the module's own from id
        /// <paramref name="firstOwnId"/>): candidates are the module's own types.</summary>
        public static CoreRelocator ForModule(IReadOnlyList<BtfType> types, int firstOwnId) => new CoreRelocator(types, firstOwnId, Array.Empty<CoreRelocator>());

        private CoreRelocator(IReadOnlyList<BtfType> target, int firstOwnId, IReadOnlyList<CoreRelocator> modules)
        {
            _target = target;
            _modules = modules;
            for (int i = firstOwnId - 1; i < target.Count; i++)
            {
                if (target[i].Name.Length == 0 || target[i] is BtfFunc or BtfVar or BtfDataSection) continue;
                string name = EssentialName(target[i].Name);
                if (!_byName.TryGetValue(name, out var ids)) _byName[name] = ids = new List<int>();
                ids.Add(i + 1);
            }
        }

        /// <summary>The name a type is matched by: <c>task_struct___old</c> → <c>task_struct</c> (libbpf's flavours).</summary>
        public static string EssentialName(string name)
        {
            for (int i = name.Length - 5; i >= 0; i--)
                if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                    return name.Substring(0, i + 1);
            return name;
        }

        /// <summary>The object with every CO-RE relocation applied (and its list of relocations emptied); how each went
        /// is added to <paramref name="results"/>.</summary>
        /// <exception cref="CoreRelocationException">A relocation is ambiguous in the target, does not fit the object's
        /// own types, or points at an instruction it cannot patch.</exception>
        public BpfObjectSpec Apply(BpfObjectSpec spec, List<CoreRelocationResult> results)
        {
            if (spec.CoreRelocations.Count == 0) return spec;
            var local = spec.Types;
            var code = spec.Functions.Select(f => f.Instructions.ToList()).ToList();
            var starts = new int[spec.Functions.Count];
            foreach (var group in Enumerable.Range(0, spec.Functions.Count).GroupBy(i => spec.Functions[i].Section))
            {
                int offset = 0;
                foreach (int i in group)
                {
                    starts[i] = offset;
                    offset += spec.Functions[i].Instructions.Sum(x => x.SlotCount) * 8;
                }
            }
            foreach (var relocation in spec.CoreRelocations)
            {
                int function = Enumerable.Range(0, spec.Functions.Count).Where(i => spec.Functions[i].Section == relocation.Section
                    && relocation.InstructionOffset >= starts[i] && relocation.InstructionOffset < starts[i] + code[i].Sum(x => x.SlotCount) * 8).DefaultIfEmpty(-1).First();
                if (function < 0) throw new CoreRelocationException($"CO-RE relocation at byte {relocation.InstructionOffset} of section {relocation.Section} points at no function");
                int index = IndexOfSlot(code[function], (relocation.InstructionOffset - starts[function]) / 8);
                var kind = (CoreRelocationKind)relocation.Kind;
                var (access, localValue, targetValue, problem) = Resolve(local, relocation.TypeId, relocation.AccessString, kind);
                string name = spec.Functions[function].Name;
                var instruction = code[function][index];
                if (targetValue is long value) code[function][index] = Patch(instruction, value, name, index, access);
                else
                {
                    code[function][index] = Poison;
                    if (instruction.IsWide) code[function].Insert(index + 1, Poison);
                }
                results.Add(new CoreRelocationResult(name, index, kind, access, localValue, targetValue, problem));
            }
            var functions = spec.Functions.Select((f, i) => f with { Instructions = code[i].ToArray() }).ToArray();
            return spec with { Functions = functions, CoreRelocations = EquatableArray<CoreRelocation>.Empty };
        }

        private static readonly Instruction Poison = Instruction.CallHelper(PoisonHelper);

        private static int IndexOfSlot(List<Instruction> code, int slot)
        {
            int at = 0;
            for (int i = 0; i < code.Count; i++)
            {
                if (at == slot) return i;
                at += code[i].SlotCount;
            }
            throw new CoreRelocationException($"CO-RE relocation at slot {slot} is past the function's end");
        }

        private static Instruction Patch(Instruction ins, long value, string function, int index, string access)
        {
            if (ins.IsWide) return new Instruction(ins.Opcode, ins.Destination, ins.Source, ins.Offset, (int)value, (int)(value >> 32));
            if (ins.IsAlu && ins.OperandSource == OperandSource.Immediate)
            {
                if (value < int.MinValue || value > uint.MaxValue)
                    throw new CoreRelocationException($"CO-RE: {access} is {value} in the kernel, which does not fit the 32-bit immediate of instruction {index} of {function}");
                return ins.WithImmediate(unchecked((int)value));
            }
            if (ins.Class is InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx)
            {
                if (value < short.MinValue || value > short.MaxValue)
                    throw new CoreRelocationException($"CO-RE: {access} is at byte {value} in the kernel, past the 16-bit offset of instruction {index} of {function}");
                return new Instruction(ins.Opcode, ins.Destination, ins.Source, (short)value, ins.Immediate);
            }
            throw new CoreRelocationException($"CO-RE relocation of {access} points at instruction {index} of {function} (opcode 0x{ins.Opcode:x2}), which has no immediate or offset to patch");
        }

        // ---- resolution ----

        /// <summary>One step of an access path: a named member (looked up by name in the target) or an array index.</summary>
        private readonly record struct Step(string? Member, int Index, int LocalType);

        /// <summary>A field reached by an access path: its type id, bit offset from the root, bitfield width (0: none).</summary>
        private readonly record struct Field(int Type, long BitOffset, int BitfieldSize);

        private (string Access, long Local, long? Target, string? Problem) Resolve(EquatableArray<BtfType> local, int rootId, string accessString, CoreRelocationKind kind)
        {
            var result = ResolveHere(local, rootId, accessString, kind, out bool found);
            foreach (var module in _modules)
            {
                if (found) break;
                var there = module.ResolveHere(local, rootId, accessString, kind, out found);
                if (found) result = there;
            }
            return result;
        }

        /// <summary>The relocation against this BTF alone; <paramref name="found"/> says whether any candidate answered.</summary>
        private (string Access, long Local, long? Target, string? Problem) ResolveHere(EquatableArray<BtfType> local, int rootId, string accessString, CoreRelocationKind kind, out bool found)
        {
            found = true;
            var root = TypeOf(local, rootId, "the object's BTF");
            int[] indexes;
            try
            {
                indexes = accessString.Split(':').Select(int.Parse).ToArray();
            }
            catch (FormatException)
            {
                throw new CoreRelocationException($"CO-RE access string '{accessString}' on {Describe(root)} is not a list of indexes");
            }
            switch (kind)
            {
                case CoreRelocationKind.TypeIdLocal:
                    return (Describe(root), rootId, rootId, null);
                case CoreRelocationKind.TypeIdTarget:
                case CoreRelocationKind.TypeExists:
                case CoreRelocationKind.TypeSize:
                case CoreRelocationKind.TypeMatches:
                    return ResolveType(local, rootId, root, kind, out found);
                case CoreRelocationKind.EnumValueExists:
                case CoreRelocationKind.EnumValue:
                    return ResolveEnumValue(local, root, indexes[0], kind, out found);
            }

            var (localField, steps, access) = LocalField(local, rootId, indexes);
            long localValue = FieldValue(local, localField, kind, access);
            var answers = new List<(int Candidate, long Value)>();
            foreach (int candidate in Candidates(Skip(local, rootId).Type))
            {
                if (TargetField(local, candidate, indexes[0], steps) is Field field)
                    answers.Add((candidate, FieldValue(_target, field, kind, access)));
            }
            found = answers.Count > 0;
            if (answers.Count == 0)
                return kind == CoreRelocationKind.FieldExists
                    ? (access, localValue, 0, null)
                    : (access, localValue, null, $"the kernel's BTF has no {access} (no type named {EssentialName(Skip(local, rootId).Type.Name)} with that member)");
            if (answers.Select(a => a.Value).Distinct().Count() > 1)
                throw new CoreRelocationException($"CO-RE: {access} is ambiguous in the kernel's BTF: " +
                    string.Join(", ", answers.Select(a => $"{_target[a.Candidate - 1].Name} (id {a.Candidate}) gives {a.Value}")));
            return (access, localValue, answers[0].Value, null);
        }

        private (Field Field, List<Step> Steps, string Access) LocalField(EquatableArray<BtfType> local, int rootId, int[] indexes)
        {
            var (id, type) = Skip(local, rootId);
            var access = new StringBuilder(type.Name.Length > 0 ? type.Name : $"(anonymous {type.Kind})");
            long bits = (long)indexes[0] * SizeOf(local, id) * 8;
            int current = id, bitfield = 0;
            var steps = new List<Step>();
            for (int k = 1; k < indexes.Length; k++)
            {
                var (_, t) = Skip(local, current);
                if (t is BtfStruct s)
                {
                    if (indexes[k] < 0 || indexes[k] >= s.Members.Count)
                        throw new CoreRelocationException($"CO-RE access {string.Join(":", indexes)} on {access}: {s.Name} has no member {indexes[k]}");
                    var m = s.Members[indexes[k]];
                    bits += m.Offset(s.HasBitfields);
                    bitfield = m.BitfieldSize(s.HasBitfields);
                    current = m.Type;
                    if (m.Name.Length > 0)
                    {
                        steps.Add(new Step(m.Name, 0, m.Type));
                        access.Append('.').Append(m.Name);
                    }
                }
                else if (t is BtfArray a)
                {
                    bits += (long)indexes[k] * SizeOf(local, a.Element) * 8;
                    bitfield = 0;
                    current = a.Element;
                    steps.Add(new Step(null, indexes[k], a.Element));
                    access.Append('[').Append(indexes[k]).Append(']');
                }
                else throw new CoreRelocationException($"CO-RE access {string.Join(":", indexes)} on {access} goes into a {t.Kind}, which has no members or elements");
            }
            return (new Field(current, bits, bitfield), steps, access.ToString());
        }

        private Field? TargetField(EquatableArray<BtfType> local, int candidate, int firstIndex, List<Step> steps)
        {
            var (id, _) = Skip(_target, candidate);
            long bits = (long)firstIndex * SizeOf(_target, id) * 8;
            int current = id, bitfield = 0;
            foreach (var step in steps)
            {
                var (_, t) = Skip(_target, current);
                if (step.Member != null)
                {
                    if (t is not BtfStruct s || !FindMember(s, step.Member, out int memberType, out long memberBits, out bitfield)) return null;
                    bits += memberBits;
                    current = memberType;
                    if (!Compatible(local, step.LocalType, current)) return null;
                }
                else
                {
                    if (t is not BtfArray a || (a.Count > 0 && step.Index >= a.Count)) return null;
                    bits += (long)step.Index * SizeOf(_target, a.Element) * 8;
                    current = a.Element;
                    bitfield = 0;
                }
            }
            return new Field(current, bits, bitfield);
        }

        /// <summary>A member by name, looking into anonymous struct and union members as C does.</summary>
        private bool FindMember(BtfStruct s, string name, out int type, out long bits, out int bitfield)
        {
            foreach (var m in s.Members)
            {
                if (m.Name == name)
                {
                    (type, bits, bitfield) = (m.Type, m.Offset(s.HasBitfields), m.BitfieldSize(s.HasBitfields));
                    return true;
                }
                if (m.Name.Length == 0 && Skip(_target, m.Type).Type is BtfStruct inner && FindMember(inner, name, out type, out bits, out bitfield))
                {
                    bits += m.Offset(s.HasBitfields);
                    return true;
                }
            }
            (type, bits, bitfield) = (0, 0, 0);
            return false;
        }

        /// <summary>libbpf's bpf_core_fields_are_compat: composites match composites, integers integers (of any size),
        /// pointers pointers, enums enums; arrays by their elements.</summary>
        private bool Compatible(EquatableArray<BtfType> local, int localId, int targetId)
        {
            var l = Skip(local, localId).Type;
            var t = Skip(_target, targetId).Type;
            if (l is BtfStruct && t is BtfStruct) return true;
            if (l is BtfEnum && t is BtfEnum) return true;
            if (l.Kind != t.Kind) return false;
            return l switch
            {
                BtfInt or BtfPointer or BtfOpaque => true,
                BtfForward => EssentialName(l.Name) == EssentialName(t.Name),
                BtfArray la => Compatible(local, la.Element, ((BtfArray)t).Element),
                _ => false,
            };
        }

        /// <summary>libbpf's bpf_core_calc_field_relo: a bitfield is read by the smallest aligned load that holds it.</summary>
        private static long FieldValue(IReadOnlyList<BtfType> types, Field field, CoreRelocationKind kind, string access)
        {
            if (kind == CoreRelocationKind.FieldExists) return 1;
            var type = Skip(types, field.Type).Type;
            long bitOffset = field.BitOffset, byteOffset;
            int byteSize = SizeOf(types, field.Type), bitSize;
            if (field.BitfieldSize == 0)
            {
                if (bitOffset % 8 != 0) throw new CoreRelocationException($"CO-RE: {access} starts at bit {bitOffset}, inside a byte, but is not a bitfield");
                bitSize = byteSize * 8;
                byteOffset = bitOffset / 8;
            }
            else
            {
                bitSize = field.BitfieldSize;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
                while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8)
                {
                    if (byteSize >= 8) throw new CoreRelocationException($"CO-RE: bitfield {access} spans more than 8 bytes");
                    byteSize *= 2;
                    byteOffset = bitOffset / 8 / byteSize * byteSize;
                }
            }
            return kind switch
            {
                CoreRelocationKind.FieldByteOffset => byteOffset,
                CoreRelocationKind.FieldByteSize => byteSize,
                CoreRelocationKind.FieldSigned => type is BtfInt { Signed: true } || type is BtfEnum { Signed: true } ? 1 : 0,
                CoreRelocationKind.FieldLeftShift => 64 - (bitOffset + bitSize - byteOffset * 8),
                _ => 64 - bitSize, // FieldRightShift
            };
        }

        private (string, long, long?, string?) ResolveType(EquatableArray<BtfType> local, int rootId, BtfType root, CoreRelocationKind kind, out bool found)
        {
            string access = Describe(root);
            if (root.Name.Length == 0) throw new CoreRelocationException($"CO-RE: {access} has no name to find it by in the kernel's BTF");
            var candidates = Candidates(root).ToList();
            found = candidates.Count > 0;
            long localValue = kind == CoreRelocationKind.TypeSize ? SizeOf(local, rootId) : kind == CoreRelocationKind.TypeIdTarget ? rootId : 1;
            if (candidates.Count == 0)
                return kind is CoreRelocationKind.TypeExists or CoreRelocationKind.TypeMatches ? (access, localValue, 0, null)
                    : (access, localValue, null, $"the kernel's BTF has no {access}");
            var values = candidates.Select(c => kind switch
            {
                CoreRelocationKind.TypeIdTarget => (long)c,
                CoreRelocationKind.TypeSize => SizeOf(_target, c),
                _ => 1L,
            }).Distinct().ToList();
            if (values.Count > 1)
                throw new CoreRelocationException($"CO-RE: {access} is ambiguous in the kernel's BTF: {candidates.Count} types by that name ({string.Join(", ", candidates.Select(c => $"id {c}"))}) give {string.Join(", ", values)}");
            return (access, localValue, values[0], null);
        }

        private (string, long, long?, string?) ResolveEnumValue(EquatableArray<BtfType> local, BtfType root, int index, CoreRelocationKind kind, out bool found)
        {
            if (root is not BtfEnum e || index < 0 || index >= e.Values.Count)
                throw new CoreRelocationException($"CO-RE enum relocation on {Describe(root)}: it has no enumerator {index}");
            string name = e.Values[index].Name, access = $"{Describe(root)}::{name}";
            var values = new List<long>();
            foreach (int candidate in Candidates(root))
                foreach (var v in ((BtfEnum)_target[candidate - 1]).Values)
                    if (EssentialName(v.Name) == EssentialName(name)) values.Add(kind == CoreRelocationKind.EnumValue ? v.Value : 1);
            long localValue = kind == CoreRelocationKind.EnumValue ? e.Values[index].Value : 1;
            found = values.Count > 0;
            if (values.Count == 0)
                return kind == CoreRelocationKind.EnumValueExists ? (access, localValue, 0, null) : (access, localValue, null, $"the kernel's BTF has no {access}");
            if (values.Distinct().Count() > 1)
                throw new CoreRelocationException($"CO-RE: {access} is ambiguous in the kernel's BTF: it is {string.Join(" and ", values.Distinct())}");
            return (access, localValue, values[0], null);
        }

        /// <summary>Target types with the local type's essential name and kind (enum and enum64 alike).</summary>
        private IEnumerable<int> Candidates(BtfType local)
        {
            if (!_byName.TryGetValue(EssentialName(local.Name), out var ids)) yield break;
            foreach (int id in ids)
            {
                var t = _target[id - 1];
                if (t.Kind == local.Kind || (t is BtfEnum && local is BtfEnum)) yield return id;
            }
        }

        // ---- BTF walking ----

        private static BtfType TypeOf(IReadOnlyList<BtfType> types, int id, string where) =>
            id >= 1 && id <= types.Count ? types[id - 1] : throw new CoreRelocationException($"CO-RE relocation names type id {id}, which {where} lacks");

        /// <summary>The type behind typedefs, const, volatile, restrict and type tags.</summary>
        private static (int Id, BtfType Type) Skip(IReadOnlyList<BtfType> types, int id)
        {
            for (int guard = 0; guard < 64; guard++)
            {
                var t = TypeOf(types, id, "the BTF");
                if (t is BtfModifier m) id = m.Target;
                else if (t is BtfOpaque { OpaqueKind: BtfKind.TypeTag } tag) id = (int)tag.SizeOrType;
                else return (id, t);
            }
            throw new CoreRelocationException($"BTF type {id} is a chain of more than 64 modifiers");
        }

        private static int SizeOf(IReadOnlyList<BtfType> types, int id)
        {
            var (resolved, t) = Skip(types, id);
            return t switch
            {
                BtfInt i => i.Size,
                BtfStruct s => s.Size,
                BtfEnum e => e.Size,
                BtfPointer => 8,
                BtfArray a => a.Count * SizeOf(types, a.Element),
                BtfOpaque { OpaqueKind: BtfKind.Float } f => (int)f.SizeOrType,
                _ => throw new CoreRelocationException($"BTF type {resolved} ({t.Kind} {t.Name}) has no size"),
            };
        }

        private static string Describe(BtfType t) => t.Name.Length > 0 ? t.Name : $"(anonymous {t.Kind})";
    }
}
