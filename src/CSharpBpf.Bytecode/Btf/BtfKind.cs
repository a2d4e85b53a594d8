namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>BTF type kinds (BTF_KIND_* in include/uapi/linux/btf.h).</summary>
    public enum BtfKind : byte
    {
        /// <summary>An integer: size, signedness, bit width.</summary>
        Int = 1,
        /// <summary>A pointer.</summary>
        Pointer = 2,
        /// <summary>A fixed-length array.</summary>
        Array = 3,
        /// <summary>A struct.</summary>
        Struct = 4,
        /// <summary>A union.</summary>
        Union = 5,
        /// <summary>An enum of 32-bit values.</summary>
        Enum = 6,
        /// <summary>A forward declaration.</summary>
        Forward = 7,
        /// <summary>A typedef.</summary>
        Typedef = 8,
        /// <summary>volatile</summary>
        Volatile = 9,
        /// <summary>const</summary>
        Const = 10,
        /// <summary>restrict</summary>
        Restrict = 11,
        /// <summary>A function: name and linkage, typed by a FUNC_PROTO.</summary>
        Func = 12,
        /// <summary>A function signature.</summary>
        FuncProto = 13,
        /// <summary>A global variable.</summary>
        Var = 14,
        /// <summary>A data section and the variables in it.</summary>
        DataSection = 15,
        /// <summary>A floating-point type.</summary>
        Float = 16,
        /// <summary>A declaration tag.</summary>
        DeclTag = 17,
        /// <summary>A type tag.</summary>
        TypeTag = 18,
        /// <summary>An enum of 64-bit values.</summary>
        Enum64 = 19,
    }
}
