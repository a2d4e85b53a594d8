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
        public static bool IsKernelPointer(ITypeSymbol? type) =>
            type is INamedTypeSymbol { Name: "KernelPointer", Arity: 1, ContainingNamespace: { Name: "CSharpBpf", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>The T of KernelPointer&lt;T&gt;.</summary>
        public static ITypeSymbol PointedAt(ITypeSymbol pointer) => ((INamedTypeSymbol)pointer).TypeArguments[0];

        /// <summary>The kernel's name for a [KernelType] type, or null for any other type.</summary>
        public static string? KernelName(ITypeSymbol? type) =>
            type?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.KernelTypeAttribute")?.ConstructorArguments[0].Value as string;

        /// <summary>The members the object's BTF gives a struct: its instance fields by offset (the kernel refuses a struct
        /// whose member offsets go back, as the flattened anonymous unions of generated kernel types would), in
        /// declaration order where offsets tie.</summary>
        public static IReadOnlyList<IFieldSymbol> Members(INamedTypeSymbol type)
        {
            var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
            if (type.TypeKind != TypeKind.Struct || KernelName(type) == null) return fields;
            return fields.Select((f, i) => (Field: f, Index: i)).OrderBy(x => TypeLayout.OffsetOf(x.Field, null)).ThenBy(x => x.Index).Select(x => x.Field).ToList();
        }

        /// <summary>The kernel's name for a field or enumerator ([KernelField]), else its C# name.</summary>
        public static string MemberName(ISymbol member) =>
            member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.KernelFieldAttribute")?.ConstructorArguments[0].Value as string
            ?? member.Name;

        /// <summary>A [KernelField] bitfield property's width, or 0.</summary>
        public static int BitfieldWidth(ISymbol member) =>
            member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.KernelFieldAttribute")?.NamedArguments
                .FirstOrDefault(n => n.Key == "Bits").Value.Value is int bits ? bits : 0;
    }
}
