namespace CSharpBpf.Generator.Ir
{
    /// <summary>IR operations. All values are 64-bit; the front end keeps each C# integer in its canonical
    /// 64-bit form (sign- or zero-extended from its width), so comparisons are always 64-bit.</summary>
    internal enum IrOp
    {
        /// <summary>Dst = A.</summary>
        Move,
        /// <summary>Dst = A (op) B, 64-bit (Alu) or 32-bit zero-extending (Alu32).</summary>
        Alu,
        Alu32,
        /// <summary>Dst = -A.</summary>
        Negate,
        /// <summary>Dst = A sign-extended from Size bytes to 64 bits (Signed) or to 32 bits, zero-extended above.</summary>
        SignExtend,
        /// <summary>Dst = A with its bytes reversed over Size bytes (zero-extended).</summary>
        ByteSwap,
        /// <summary>Dst = *(Size*)(A + Offset), sign-extended when Signed.</summary>
        Load,
        /// <summary>*(Size*)(A + Offset) = B.</summary>
        Store,
        /// <summary>Dst = address of the frame slot at Offset (negative, from r10).</summary>
        FrameAddress,
        /// <summary>Dst = address of the map Symbol (lddw with a map relocation).</summary>
        MapAddress,
        /// <summary>Dst = address of Offset within the global-data section Symbol.</summary>
        GlobalAddress,
        /// <summary>Dst? = helper Helper(Arguments).</summary>
        CallHelper,
        /// <summary>Dst? = BPF-to-BPF call of Symbol(Arguments).</summary>
        CallLocal,
        /// <summary>Call of kernel function (kfunc) <see cref="IrInstruction.Symbol"/>, relocated against it by name.</summary>
        CallKernel,
        /// <summary>Atomic Atomic on *(Size*)(A + Offset) with B; Dst gets the old value when fetching.</summary>
        Atomic,
        /// <summary>Dst = compare-exchange(*(Size*)(A + Offset), comparand C, value B): r0-bound.</summary>
        CompareExchange,
        /// <summary>Dst = a constant the loader sets from the kernel's BTF: a CO-RE relocation of kind Helper on
        /// <see cref="IrInstruction.CoreType"/> with access string Symbol; Offset is the value this object's layout gives.</summary>
        CoreValue,
    }
}
