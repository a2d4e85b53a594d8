using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Btf
{
    // The closed set of BTF type records. A type refers to others by id: 0 is void, 1 is the first
    // type of the table. Every record is immutable with value equality, so a table compares by value.

    /// <summary>A BTF type record.</summary>
    public abstract record BtfType(string Name)
    {
        /// <summary>The record's kind.</summary>
        public abstract BtfKind Kind { get; }
    }

    /// <summary>INT: <paramref name="Size"/> bytes; encoding bits say signed (1), char (2), bool (4). <paramref name="Bits"/>
    /// and <paramref name="BitOffset"/> are the value's width and position inside those bytes (an old-style bitfield;
    /// 0 bits means all of them).</summary>
    public sealed record BtfInt(string Name, int Size, bool Signed, bool IsChar = false, bool IsBool = false, int Bits = 0, int BitOffset = 0) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Int;
    }

    /// <summary>PTR to <paramref name="Target"/>.</summary>
    public sealed record BtfPointer(int Target) : BtfType("")
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Pointer;
    }

    /// <summary>ARRAY of <paramref name="Count"/> <paramref name="Element"/>s, indexed by <paramref name="IndexType"/> (an INT).</summary>
    public sealed record BtfArray(int Element, int IndexType, int Count) : BtfType("")
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Array;
    }

    /// <summary>A member of a struct or union; <paramref name="BitOffset"/> from the start. In a struct with
    /// <see cref="BtfStruct.HasBitfields"/> (kind_flag) it is the raw field: bitfield size in bits 24–31, offset below.</summary>
    public readonly record struct BtfMember(string Name, int Type, int BitOffset)
    {
        /// <summary>The offset in bits from the start, without a bitfield size in the high byte.</summary>
        public int Offset(bool hasBitfields) => hasBitfields ? BitOffset & 0xffffff : BitOffset;

        /// <summary>The bitfield's width in bits (0: not a bitfield) when the struct has kind_flag set.</summary>
        public int BitfieldSize(bool hasBitfields) => hasBitfields ? (int)((uint)BitOffset >> 24) : 0;
    }

    /// <summary>STRUCT or UNION of <paramref name="Size"/> bytes; <paramref name="HasBitfields"/> is BTF's kind_flag, set
    /// when members' offsets carry bitfield sizes (as clang writes structs with bitfields).</summary>
    public sealed record BtfStruct(string Name, int Size, EquatableArray<BtfMember> Members, bool IsUnion = false, bool HasBitfields = false) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => IsUnion ? BtfKind.Union : BtfKind.Struct;
    }

    /// <summary>An enumerator.</summary>
    public readonly record struct BtfEnumValue(string Name, long Value);

    /// <summary>ENUM (32-bit values) or ENUM64 when <paramref name="Size"/> is 8.</summary>
    public sealed record BtfEnum(string Name, int Size, bool Signed, EquatableArray<BtfEnumValue> Values) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => Size == 8 ? BtfKind.Enum64 : BtfKind.Enum;
    }

    /// <summary>FWD: a struct (or union) known only by name.</summary>
    public sealed record BtfForward(string Name, bool IsUnion = false) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Forward;
    }

    /// <summary>TYPEDEF, VOLATILE, CONST or RESTRICT of <paramref name="Target"/>.</summary>
    public sealed record BtfModifier(BtfKind ModifierKind, string Name, int Target) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => ModifierKind;
    }

    /// <summary>Function linkage (the vlen of FUNC, the linkage of VAR).</summary>
    public enum BtfLinkage
    {
        /// <summary>static</summary>
        Static = 0,
        /// <summary>global</summary>
        Global = 1,
        /// <summary>extern</summary>
        Extern = 2,
    }

    /// <summary>FUNC named <paramref name="Name"/> with signature <paramref name="Prototype"/> (a FUNC_PROTO id).</summary>
    public sealed record BtfFunc(string Name, int Prototype, BtfLinkage Linkage) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Func;
    }

    /// <summary>A parameter of a FUNC_PROTO.</summary>
    public readonly record struct BtfParameter(string Name, int Type);

    /// <summary>FUNC_PROTO: return type and parameters.</summary>
    public sealed record BtfFuncProto(int ReturnType, EquatableArray<BtfParameter> Parameters) : BtfType("")
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.FuncProto;
    }

    /// <summary>VAR: a global variable of <paramref name="Type"/>.</summary>
    public sealed record BtfVar(string Name, int Type, BtfLinkage Linkage) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.Var;
    }

    /// <summary>A variable's place in a data section.</summary>
    public readonly record struct BtfSectionVariable(int Var, int Offset, int Size);

    /// <summary>DATASEC: the section <paramref name="Name"/> (.maps, .rodata, …) and its variables.</summary>
    public sealed record BtfDataSection(string Name, int Size, EquatableArray<BtfSectionVariable> Variables) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => BtfKind.DataSection;
    }

    /// <summary>A kind this library carries through without interpreting (FLOAT, DECL_TAG, TYPE_TAG):
    /// its raw info word, size/type word and trailing bytes.</summary>
    public sealed record BtfOpaque(string Name, BtfKind OpaqueKind, uint Info, uint SizeOrType, EquatableArray<byte> Trailer) : BtfType(Name)
    {
        /// <inheritdoc/>
        public override BtfKind Kind => OpaqueKind;
    }
}
