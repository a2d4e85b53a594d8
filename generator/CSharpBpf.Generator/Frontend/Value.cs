using System.Linq;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>What a C# expression evaluates to while lowering.</summary>
    internal abstract class Value
    {
        protected Value(ITypeSymbol type) => Type = type;

        public ITypeSymbol Type { get; }
    }

    /// <summary>A value held in one register or known as a constant: integers, bool, enums, pointers.
    /// Values of types up to 32 bits are kept zero-extended from 32 bits; 64-bit types in full.</summary>
    internal sealed class Scalar : Value
    {
        public Scalar(Operand operand, ITypeSymbol type, bool nonNegative = false) : base(type)
        {
            Operand = operand;
            NonNegative = nonNegative;
        }

        public Operand Operand { get; }

        /// <summary>Known to be ≥ 0 (a length), so widening a signed value needs no sign extension.</summary>
        public bool NonNegative { get; }
    }

    /// <summary>Memory holding a value of <see cref="Value.Type"/>: a stack slot (base = frame), or memory
    /// behind a pointer (packet, map value, context, global data). Struct values are always places.</summary>
    internal sealed class Place : Value
    {
        public Place(Operand @base, int offset, ITypeSymbol type, PlaceKind kind, bool ownsBase = false) : base(type)
        {
            Base = @base;
            Offset = offset;
            Kind = kind;
            OwnsBase = ownsBase;
        }

        /// <summary>True when the base is a fresh register holding this reference alone (a lookup's or
        /// GetRefOrNullRef's result), so a ref local can take it over instead of copying it.</summary>
        public bool OwnsBase { get; }

        public Operand Base { get; }
        public int Offset { get; }
        public PlaceKind Kind { get; }

        public Place At(int delta, ITypeSymbol type) => new Place(Base, Offset + delta, type, Kind);
    }

    /// <summary>Where a place lives; the context may only be read with exact field loads.</summary>
    internal enum PlaceKind { Stack, Memory, Context }

    /// <summary>A map field of the object, used as the receiver of a map method.</summary>
    internal sealed class MapReference : Value
    {
        public MapReference(MapDeclaration map, ITypeSymbol type) : base(type) => Map = map;

        public MapDeclaration Map { get; }
    }

    /// <summary>A program's context parameter (XdpContext, SkBuff, …): the pointer that arrived in r1.</summary>
    internal sealed class ContextValue : Value
    {
        public ContextValue(Operand pointer, ITypeSymbol type) : base(type) => Pointer = pointer;

        public Operand Pointer { get; }
    }

    /// <summary>The enumerator of <c>foreach (int i in Bpf.Range(from, to))</c>: an open-coded numeric iterator in
    /// <see cref="Slot"/> (8 stack bytes the verifier tracks as the iterator), the range's bounds, and the register that
    /// holds the current number after each successful step.</summary>
    internal sealed class IteratorValue : Value
    {
        public IteratorValue(Place slot, Operand from, Operand to, int current, ITypeSymbol type) : base(type)
        {
            Slot = slot;
            From = from;
            To = to;
            Current = current;
        }

        public Place Slot { get; }
        public Operand From { get; }
        public Operand To { get; }
        public int Current { get; }
    }

    /// <summary>A field of kernel memory, not yet read: the address of a [KernelType] struct (from a KernelPointer), that
    /// root type, the member indexes from it to this field (the CO-RE access path) and the byte offset this layout gives
    /// it. Reading it is a bpf_probe_read_kernel whose offset the loader relocates to the running kernel's.</summary>
    internal sealed class KernelPlace : Value
    {
        public KernelPlace(Operand @base, ITypeSymbol root, System.Collections.Generic.IReadOnlyList<int> members, int offset, ITypeSymbol type) : base(type)
        {
            Base = @base;
            Root = root;
            Members = members;
            Offset = offset;
        }

        public Operand Base { get; }
        public ITypeSymbol Root { get; }
        public System.Collections.Generic.IReadOnlyList<int> Members { get; }
        public int Offset { get; }

        /// <summary>libbpf's access string: element 0 of the root, then the member indexes.</summary>
        public string AccessString => string.Join(":", Members.Prepend(0));

        public KernelPlace Member(ITypeSymbol type, int index, int offset) =>
            new KernelPlace(Base, Root, Members.Append(index).ToArray(), Offset + offset, type);
    }
}
