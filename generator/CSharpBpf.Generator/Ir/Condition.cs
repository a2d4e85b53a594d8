using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Generator.Ir
{
    /// <summary>A 64-bit comparison a branch tests.</summary>
    internal enum Condition { Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual, SignedGreater, SignedGreaterOrEqual, SignedLess, SignedLessOrEqual, BitsSet }

    internal static class ConditionFacts
    {
        public static Condition Negate(this Condition c) => c switch
        {
            Condition.Equal => Condition.NotEqual,
            Condition.NotEqual => Condition.Equal,
            Condition.Greater => Condition.LessOrEqual,
            Condition.GreaterOrEqual => Condition.Less,
            Condition.Less => Condition.GreaterOrEqual,
            Condition.LessOrEqual => Condition.Greater,
            Condition.SignedGreater => Condition.SignedLessOrEqual,
            Condition.SignedGreaterOrEqual => Condition.SignedLess,
            Condition.SignedLess => Condition.SignedGreaterOrEqual,
            Condition.SignedLessOrEqual => Condition.SignedGreater,
            _ => throw new System.InvalidOperationException("jset has no negation"),
        };

        /// <summary>The condition with its operands swapped (a &lt; b ⇔ b &gt; a).</summary>
        public static Condition Swap(this Condition c) => c switch
        {
            Condition.Greater => Condition.Less,
            Condition.GreaterOrEqual => Condition.LessOrEqual,
            Condition.Less => Condition.Greater,
            Condition.LessOrEqual => Condition.GreaterOrEqual,
            Condition.SignedGreater => Condition.SignedLess,
            Condition.SignedGreaterOrEqual => Condition.SignedLessOrEqual,
            Condition.SignedLess => Condition.SignedGreater,
            Condition.SignedLessOrEqual => Condition.SignedGreaterOrEqual,
            _ => c,
        };

        public static bool Evaluate(this Condition c, long a, long b) => c switch
        {
            Condition.Equal => a == b,
            Condition.NotEqual => a != b,
            Condition.Greater => (ulong)a > (ulong)b,
            Condition.GreaterOrEqual => (ulong)a >= (ulong)b,
            Condition.Less => (ulong)a < (ulong)b,
            Condition.LessOrEqual => (ulong)a <= (ulong)b,
            Condition.SignedGreater => a > b,
            Condition.SignedGreaterOrEqual => a >= b,
            Condition.SignedLess => a < b,
            Condition.SignedLessOrEqual => a <= b,
            _ => (a & b) != 0,
        };

        public static JumpOperation ToJump(this Condition c) => c switch
        {
            Condition.Equal => JumpOperation.Jeq,
            Condition.NotEqual => JumpOperation.Jne,
            Condition.Greater => JumpOperation.Jgt,
            Condition.GreaterOrEqual => JumpOperation.Jge,
            Condition.Less => JumpOperation.Jlt,
            Condition.LessOrEqual => JumpOperation.Jle,
            Condition.SignedGreater => JumpOperation.Jsgt,
            Condition.SignedGreaterOrEqual => JumpOperation.Jsge,
            Condition.SignedLess => JumpOperation.Jslt,
            Condition.SignedLessOrEqual => JumpOperation.Jsle,
            _ => JumpOperation.Jset,
        };
    }
}
