namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>A filter expression as a tree of tests, what the parser builds and the code generator lowers to a
    /// graph of blocks. Operands of And/Or are evaluated left first, short-circuit, as libpcap does.</summary>
    internal abstract record FilterCondition;

    /// <summary>Always <paramref name="Value"/>.</summary>
    internal sealed record ConstantCondition(bool Value) : FilterCondition
    {
        public static readonly ConstantCondition True = new(true), False = new(false);
    }

    /// <summary><paramref name="Left"/> <paramref name="Operation"/> <paramref name="Right"/>, unsigned 32-bit; Left is
    /// computed first.</summary>
    internal sealed record TestCondition(FilterValue Left, ClassicJumpOperation Operation, FilterValue Right) : FilterCondition;

    /// <summary>Both, left first.</summary>
    internal sealed record AndCondition(FilterCondition Left, FilterCondition Right) : FilterCondition;

    /// <summary>Either, left first.</summary>
    internal sealed record OrCondition(FilterCondition Left, FilterCondition Right) : FilterCondition;

    /// <summary>The opposite.</summary>
    internal sealed record NotCondition(FilterCondition Operand) : FilterCondition;

    /// <summary>Building conditions.</summary>
    internal static class Conditions
    {
        public static FilterCondition And(params FilterCondition[] parts)
        {
            FilterCondition? result = null;
            foreach (var part in parts) result = result == null ? part : new AndCondition(result, part);
            return result ?? ConstantCondition.True;
        }

        public static FilterCondition Or(params FilterCondition[] parts)
        {
            FilterCondition? result = null;
            foreach (var part in parts) result = result == null ? part : new OrCondition(result, part);
            return result ?? ConstantCondition.False;
        }

        public static FilterCondition Equal(FilterValue value, uint k) => new TestCondition(value, ClassicJumpOperation.Equal, new ConstantValue(k));

        public static FilterCondition Load(int size, uint offset, uint k) => Equal(new PacketLoad(size, offset), k);

        public static FilterCondition Masked(int size, uint offset, uint mask, uint k) =>
            mask == 0 ? (k == 0 ? ConstantCondition.True : ConstantCondition.False) // "net 0/0": libpcap folds the load away too
            : mask == MaskFor(size) ? Load(size, offset, k)
                : Equal(new ArithmeticValue(ClassicAluOperation.And, new PacketLoad(size, offset), new ConstantValue(mask)), k);

        public static FilterCondition AnyBitSet(FilterValue value, uint bits) => new TestCondition(value, ClassicJumpOperation.AnyBitSet, new ConstantValue(bits));

        private static uint MaskFor(int size) => size == 4 ? 0xffffffff : size == 2 ? 0xffffu : 0xffu;
    }
}
