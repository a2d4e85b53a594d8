using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Generator.Frontend;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Output
{
    /// <summary>Describes C# types in BTF (ids from 1, in the order added), so bpftool and the kernel
    /// show map keys, values and globals with their C# names and fields.</summary>
    internal sealed class BtfTypeBuilder
    {
        private readonly List<BtfType> _types = new List<BtfType>();
        private readonly Dictionary<ITypeSymbol, int> _ids = new Dictionary<ITypeSymbol, int>(SymbolEqualityComparer.Default);

        public IReadOnlyList<BtfType> Types => _types;

        private int Add(BtfType type)
        {
            _types.Add(type);
            return _types.Count;
        }

        /// <summary>A signed 32-bit int.</summary>
        public int Int32 => IdOf(null, 4, true);

        /// <summary>A pointer to <paramref name="type"/>.</summary>
        public int PointerTo(ITypeSymbol type) => Add(new BtfPointer(IdOf(type)));

        /// <summary>A pointer to the kernel's context struct <paramref name="name"/>: an empty STRUCT of that name, which the
        /// kernel matches by name (btf_get_prog_ctx_type wants a struct, not a forward declaration).</summary>
        public int ContextPointer(string name) => Add(new BtfPointer(Add(new BtfStruct(name, 0, EquatableArray<BtfMember>.Empty))));

        public int FunctionPrototype(int returns, BtfParameter[] parameters) => Add(new BtfFuncProto(returns, parameters));

        private int _iteratorPointer;

        /// <summary>The prototype kernel function <paramref name="name"/> has in the kernel (kernel/bpf/bpf_iter.c):
        /// libbpf refuses an extern whose prototype differs from the kernel's.</summary>
        public int KernelFunctionPrototype(string name)
        {
            if (_iteratorPointer == 0)
            {
                // struct bpf_iter_num { __u64 __opaque[1]; } (include/uapi/linux/bpf.h)
                int opaque = Add(new BtfArray(IdOf(null, 8, false), IdOf(null, 4, false), 1));
                _iteratorPointer = Add(new BtfPointer(Add(new BtfStruct("bpf_iter_num", 8, new[] { new BtfMember("__opaque", opaque, 0) }))));
            }
            var iterator = new BtfParameter("it", _iteratorPointer);
            return name switch
            {
                KernelFunctions.IterNumNew => FunctionPrototype(Int32, new[] { iterator, new BtfParameter("start", Int32), new BtfParameter("end", Int32) }),
                KernelFunctions.IterNumNext => FunctionPrototype(Add(new BtfPointer(Int32)), new[] { iterator }),
                KernelFunctions.IterNumDestroy => FunctionPrototype(0, new[] { iterator }),
                _ => throw new System.ArgumentException($"no prototype known for kernel function '{name}'", nameof(name)),
            };
        }

        public int ByteArray(int length) => Add(new BtfArray(IdOf(null, 1, false), IdOf(null, 4, false), length));

        private int IdOf(ITypeSymbol? type, int size, bool signed)
        {
            string name = (signed ? "" : "u") + "int" + size * 8;
            int existing = _types.FindIndex(t => t is BtfInt i && i.Name == name);
            return existing >= 0 ? existing + 1 : Add(new BtfInt(name, size, signed));
        }

        /// <summary>A kernel struct's field type: an [InlineArray] as the C array (of arrays) it stands for.</summary>
        private int KernelMemberType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol named && named.GetAttributes().Any(a => a.AttributeClass?.Name == "InlineArrayAttribute")
                && KernelTypes.Members(named) is { Count: 1 } element)
            {
                int count = TypeLayout.SizeOf(type, null) / TypeLayout.SizeOf(element[0].Type, null);
                return Add(new BtfArray(KernelMemberType(element[0].Type), IdOf(null, 4, false), count));
            }
            return IdOf(type);
        }

        public int IdOf(ITypeSymbol type)
        {
            if (_ids.TryGetValue(type, out int id)) return id;
            id = Describe(type);
            _ids[type] = id;
            return id;
        }

        private int Describe(ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_Boolean) return Add(new BtfInt("bool", 1, false, IsBool: true));
            if (KernelTypes.IsKernelPointer(type)) return KernelTypes.PointedAt(type) is { } target ? Add(new BtfPointer(IdOf(target))) : Add(new BtfPointer(0));
            if (type is IPointerTypeSymbol pointer)
                return Add(new BtfPointer(pointer.PointedAtType.SpecialType == SpecialType.System_Void ? 0 : IdOf(pointer.PointedAtType)));
            if (type is INamedTypeSymbol { EnumUnderlyingType: { } underlying } enumType)
            {
                int size = TypeLayout.ScalarSize(underlying);
                var values = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
                    .Select(f => new BtfEnumValue(KernelTypes.MemberName(f), Constants.ToLong(f.ConstantValue))).ToArray();
                return Add(new BtfEnum(KernelTypes.KernelName(type) ?? type.Name, size < 4 ? 4 : size, TypeLayout.IsSigned(underlying), values));
            }
            if (TypeLayout.IsScalar(type))
                return Add(new BtfInt(type.ToDisplayString(), TypeLayout.ScalarSize(type), TypeLayout.IsSigned(type)));

            var named = (INamedTypeSymbol)type;
            int structSize = TypeLayout.SizeOf(type, null);
            if (KernelTypes.KernelName(type) is string kernelName)
            {
                // CO-RE matches the kernel's types by these names; an [InlineArray] field is the C array it stands for.
                // The id is taken first: a kernel struct points at itself (task_struct.real_parent).
                int id = Add(new BtfStruct(kernelName, structSize, EquatableArray<BtfMember>.Empty));
                _ids[type] = id;
                // With a bitfield among them, every member's offset carries its width in bits 24–31 (BTF's kind_flag).
                var declared = KernelTypes.Members(named);
                bool bitfields = declared.Any(m => m.Bits > 0);
                var kernelMembers = declared.Select(m => new BtfMember(m.Name, KernelMemberType(m.Type), bitfields ? m.Bits << 24 | m.BitOffset : m.BitOffset)).ToArray();
                _types[id - 1] = new BtfStruct(kernelName, structSize, new EquatableArray<BtfMember>(kernelMembers), HasBitfields: bitfields);
                return id;
            }
            var fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
            var members = new List<BtfMember>();
            bool inlineArray = named.GetAttributes().Any(a => a.AttributeClass?.Name == "InlineArrayAttribute");
            if (inlineArray && fields.Count == 1)
            {
                int elementSize = TypeLayout.SizeOf(fields[0].Type, null);
                int array = Add(new BtfArray(IdOf(fields[0].Type), IdOf(null, 4, false), structSize / elementSize));
                members.Add(new BtfMember("elements", array, 0));
            }
            else
            {
                foreach (var f in fields)
                    members.Add(new BtfMember(f.Name, IdOf(f.Type), TypeLayout.OffsetOf(f, null) * 8));
            }
            return Add(new BtfStruct(type.Name, structSize, new EquatableArray<BtfMember>(members.ToArray())));
        }
    }
}
