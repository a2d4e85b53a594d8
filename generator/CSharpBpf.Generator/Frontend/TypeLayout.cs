using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>Sizes, alignments and field offsets of the unmanaged types a program uses, as the CLR
    /// lays them out (sequential, natural alignment, [StructLayout(Pack)], [InlineArray]).</summary>
    internal static class TypeLayout
    {
        /// <summary>A field of a struct at its byte offset.</summary>
        public readonly record struct FieldSlot(IFieldSymbol Field, int Offset);

        public static int SizeOf(ITypeSymbol type, SyntaxNode? at) => Layout(type, at).Size;
        public static int AlignmentOf(ITypeSymbol type, SyntaxNode? at) => Layout(type, at).Alignment;

        /// <summary>Alignment of a value of <paramref name="type"/> on the stack: values of 8 bytes or more are 8-aligned,
        /// so the verifier sees whole spill slots (it tracks the stack in 8-byte slots).</summary>
        public static int StackAlignment(ITypeSymbol type, SyntaxNode? at)
        {
            var layout = Layout(type, at);
            return System.Math.Min(8, System.Math.Max(layout.Alignment, layout.Size >= 8 ? 8 : 1));
        }

        public static int OffsetOf(IFieldSymbol field, SyntaxNode? at) =>
            Layout(field.ContainingType, at).Fields.First(f => SymbolEqualityComparer.Default.Equals(f.Field, field)).Offset;

        /// <summary>True for types held in one register: integers, bool, char, enums, pointers.</summary>
        public static bool IsScalar(ITypeSymbol type) => ScalarSize(type) > 0;

        /// <summary>An [InlineArray] of bytes (Comm, CString256, …): text for BpfLog.</summary>
        public static bool IsByteArray(ITypeSymbol type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named
            && named.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InlineArrayAttribute")
            && named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).Select(f => f.Type.SpecialType).SingleOrDefault() == SpecialType.System_Byte;

        /// <summary>True for 64-bit scalars (long, ulong, nint, nuint, pointers); the rest are held as 32-bit values.</summary>
        public static bool Is64(ITypeSymbol type) => ScalarSize(type) == 8;

        public static bool IsSigned(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { EnumUnderlyingType: { } underlying }) type = underlying;
            switch (type.SpecialType)
            {
                case SpecialType.System_SByte:
                case SpecialType.System_Int16:
                case SpecialType.System_Int32:
                case SpecialType.System_Int64:
                case SpecialType.System_IntPtr:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The size of a scalar type, 0 for anything else.</summary>
        public static int ScalarSize(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { EnumUnderlyingType: { } underlying }) return ScalarSize(underlying);
            if (type is IPointerTypeSymbol || type is IFunctionPointerTypeSymbol) return 8;
            // A seccomp action is one SECCOMP_RET_* word: the filter's return value, held like the uint it wraps.
            if (type is INamedTypeSymbol { Name: "SeccompAction", ContainingNamespace: { Name: "CSharpBpf", ContainingNamespace.IsGlobalNamespace: true } }) return 4;
            // A kernel pointer is its 8-byte address.
            if (KernelTypes.IsKernelPointer(type)) return 8;
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                    return 1;
                case SpecialType.System_Char:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                    return 2;
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                    return 4;
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return 8;
                default:
                    return 0;
            }
        }

        /// <summary>True when a value of <paramref name="type"/> can have bytes C#'s definite assignment never makes a
        /// method write: padding, and [InlineArray] elements (written one by one). Such values are zeroed first, as .NET
        /// zero-initialises locals, so they compare, hash and copy out the same in the kernel.</summary>
        public static bool HasHoles(ITypeSymbol type, SyntaxNode? at)
        {
            var layout = Layout(type, at);
            if (layout.Fields.Count == 0) return false;
            if (IsInlineArray(type)) return true;
            int covered = layout.Fields.Sum(f => SizeOf(f.Field.Type, at));
            return covered != layout.Size || layout.Fields.Any(f => HasHoles(f.Field.Type, at));
        }

        private static bool IsInlineArray(ITypeSymbol type) =>
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InlineArrayAttribute");

        private sealed record StructLayoutInfo(int Size, int Alignment, IReadOnlyList<FieldSlot> Fields);

        private static StructLayoutInfo Layout(ITypeSymbol type, SyntaxNode? at)
        {
            int scalar = ScalarSize(type);
            if (scalar > 0) return new StructLayoutInfo(scalar, scalar, Array.Empty<FieldSlot>());
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named || !type.IsUnmanagedType)
                throw CompileError.At(BpfDiagnostics.UnsupportedType, at, type.ToDisplayString());

            var fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
            int pack = PackOf(named);
            var inlineArray = named.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InlineArrayAttribute");
            if (inlineArray != null && fields.Count == 1 && inlineArray.ConstructorArguments.Length == 1 && inlineArray.ConstructorArguments[0].Value is int length)
            {
                var element = Layout(fields[0].Type, at);
                return new StructLayoutInfo(element.Size * length, element.Alignment, new[] { new FieldSlot(fields[0], 0) });
            }

            bool explicitLayout = fields.Any(f => f.GetAttributes().Any(a => a.AttributeClass?.Name == "FieldOffsetAttribute"));
            var slots = new List<FieldSlot>();
            int offset = 0, alignment = 1, size = 0;
            foreach (var f in fields)
            {
                var inner = Layout(f.Type, at);
                int align = Math.Min(inner.Alignment, pack);
                if (explicitLayout)
                {
                    var attribute = f.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "FieldOffsetAttribute");
                    offset = attribute?.ConstructorArguments[0].Value is int explicitOffset ? explicitOffset : 0;
                }
                else
                {
                    offset = (offset + align - 1) / align * align;
                }
                slots.Add(new FieldSlot(f, offset));
                alignment = Math.Max(alignment, align);
                offset += inner.Size;
                size = Math.Max(size, offset);
            }
            size = (size + alignment - 1) / alignment * alignment;
            // [StructLayout(…, Size = n)] (a kernel type's sizeof) makes the struct at least n bytes.
            var declared = named.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute")
                ?.NamedArguments.FirstOrDefault(n => n.Key == "Size").Value.Value;
            if (declared is int minimum && minimum > size) size = minimum;
            if (size == 0) size = 1;
            return new StructLayoutInfo(size, alignment, slots);
        }

        // [StructLayout(Pack = n)] is a pseudo-attribute: Roslyn shows it for source types only, so the
        // packing of metadata types is not visible. Ours (the packet headers) are laid out to need none.
        private static int PackOf(INamedTypeSymbol type)
        {
            var layout = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute");
            var pack = layout?.NamedArguments.FirstOrDefault(n => n.Key == "Pack").Value.Value;
            return pack is int p && p > 0 ? p : 8;
        }
    }
}
