namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>A 32-bit value a filter computes into A: a pure function of the packet (a load that fails ends the
    /// program with 0, as in the kernel). Records, so equal computations compare equal: the optimizer decides tests
    /// and drops reloads by that equality.</summary>
    internal abstract record FilterValue
    {
        /// <summary>The constant, when this value is one.</summary>
        public virtual uint? Constant => null;
    }

    /// <summary>A constant.</summary>
    internal sealed record ConstantValue(uint Value) : FilterValue
    {
        public override uint? Constant => Value;
    }

    /// <summary>The packet's length (<c>len</c>).</summary>
    internal sealed record LengthValue : FilterValue;

    /// <summary><paramref name="Size"/> bytes (1, 2 or 4), big-endian, at a fixed offset.</summary>
    internal sealed record PacketLoad(int Size, uint Offset) : FilterValue;

    /// <summary><paramref name="Size"/> bytes at <paramref name="Offset"/> + <paramref name="Index"/> (the index computed into X).</summary>
    internal sealed record IndexedLoad(int Size, uint Offset, FilterValue Index) : FilterValue;

    /// <summary>4 × (the low nibble of the byte at <paramref name="Offset"/>): the IPv4 header's length, which
    /// <c>ldxb</c> computes straight into X. Only ever an index.</summary>
    internal sealed record HeaderLength(uint Offset) : FilterValue;

    /// <summary>An arithmetic operation; the left operand is computed first.</summary>
    internal sealed record ArithmeticValue(ClassicAluOperation Operation, FilterValue Left, FilterValue Right) : FilterValue;

    /// <summary>-value.</summary>
    internal sealed record NegatedValue(FilterValue Operand) : FilterValue;
}
