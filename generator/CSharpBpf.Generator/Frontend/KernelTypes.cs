using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>[KernelType] structs and enums as CO-RE sees them: the kernel's names for the type and its members, and
    /// the member numbering the object's BTF uses — the indexes of a CO-RE access string. One copy, for the front end
    /// (which writes access strings) and BtfTypeBuilder (which writes the types they index).</summary>
    internal static class KernelTypes
    {
        /// <summary>KernelPointer&lt;T&gt; or the opaque KernelPointer: an 8-byte kernel address, a pointer in BTF.</summary>
        public static bool IsKernelPointer(ITypeSymbol? type) =>
            type is INamedTypeSymbol { Name: "KernelPointer", Arity: 0 or 1, ContainingNamespace: { Name: "CSharpBpf", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>The T of KernelPointer&lt;T&gt;, or null for the opaque KernelPointer.</summary>
        public static ITypeSymbol? PointedAt(ITypeSymbol pointer) => pointer is INamedTypeSymbol { Arity: 1 } named ? named.TypeArguments[0] : null;

        /// <summary>The kernel's name for a [KernelType] type, or null for any other type.</summary>
        public static string? KernelName(ITypeSymbol? type) =>
            type?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.KernelTypeAttribute")?.ConstructorArguments[0].Value as string;

        /// <summary>The members the object's BTF gives a struct. For a [KernelType] struct: its instance fields and its
        /// [KernelField] properties (typed pointers over a private address field, bitfields), ordered by offset (the
        /// kernel refuses a struct whose member offsets go back, as the flattened anonymous unions of generated kernel
        /// types would), in declaration order where offsets tie; private fields without [KernelField] are the storage
        /// of those properties, not members. For any other struct: its instance fields.</summary>
        public static IReadOnlyList<KernelMember> Members(INamedTypeSymbol type)
        {
            var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst);
            if (type.TypeKind != TypeKind.Struct || KernelName(type) == null)
                return fields.Select(f => new KernelMember(f, f.Type, f.Name, TypeLayout.OffsetOf(f, null) * 8, 0)).ToList();
            var members = new List<KernelMember>();
            foreach (var symbol in type.GetMembers())
            {
                var attribute = FieldAttribute(symbol);
                if (symbol is IFieldSymbol { IsStatic: false, IsConst: false } field && (attribute != null || field.DeclaredAccessibility != Accessibility.Private))
                    members.Add(new KernelMember(field, field.Type, MemberName(field), TypeLayout.OffsetOf(field, null) * 8, 0));
                else if (symbol is IPropertySymbol { IsStatic: false } property && attribute != null)
                {
                    int bits = Named(attribute, "Bits");
                    members.Add(bits > 0
                        ? new KernelMember(property, property.Type, MemberName(property), Named(attribute, "BitOffset"), bits)
                        : new KernelMember(property, property.Type, MemberName(property), Named(attribute, "Offset") * 8, 0));
                }
            }
            return members.Select((m, i) => (Member: m, Index: i)).OrderBy(x => x.Member.BitOffset).ThenBy(x => x.Index).Select(x => x.Member).ToList();
        }

        private static AttributeData? FieldAttribute(ISymbol member) =>
            member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.KernelFieldAttribute");

        private static int Named(AttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(n => n.Key == name).Value.Value is int value ? value : 0;

        /// <summary>The kernel's name for a field or enumerator ([KernelField]), else its C# name.</summary>
        public static string MemberName(ISymbol member) => FieldAttribute(member)?.ConstructorArguments[0].Value as string ?? member.Name;
    }

    /// <summary>A member of a struct as its BTF says it: the C# field or property, its type, the kernel's name, its offset
    /// in bits from the start of the struct, and its width in bits when it is a bitfield (else 0).</summary>
    internal readonly struct KernelMember
    {
        public KernelMember(ISymbol symbol, ITypeSymbol type, string name, int bitOffset, int bits)
        {
            Symbol = symbol;
            Type = type;
            Name = name;
            BitOffset = bitOffset;
            Bits = bits;
        }

        public ISymbol Symbol { get; }
        public ITypeSymbol Type { get; }
        public string Name { get; }
        public int BitOffset { get; }
        public int Bits { get; }
    }
}
