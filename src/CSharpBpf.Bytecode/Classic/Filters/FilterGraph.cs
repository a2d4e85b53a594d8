using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>A block of the filter's control-flow graph, a DAG whose edges all go forward once laid out.</summary>
    internal abstract class FilterBlock
    {
    }

    /// <summary>Computes <see cref="Left"/> (and <see cref="Right"/> unless constant) and branches on the comparison.</summary>
    internal sealed class TestBlock : FilterBlock
    {
        public TestBlock(FilterValue left, ClassicJumpOperation operation, FilterValue right, FilterBlock whenTrue, FilterBlock whenFalse)
        {
            Left = left;
            Operation = operation;
            Right = right;
            True = whenTrue;
            False = whenFalse;
        }

        public FilterValue Left { get; }
        public ClassicJumpOperation Operation { get; }
        public FilterValue Right { get; }
        public FilterBlock True { get; set; }
        public FilterBlock False { get; set; }
    }

    /// <summary>Ends the program with <see cref="Value"/>.</summary>
    internal sealed class ReturnBlock : FilterBlock
    {
        public ReturnBlock(uint value) => Value = value;

        public uint Value { get; }
    }

    /// <summary>An unconditional jump the emitter inserts where a conditional one cannot reach (over 255 instructions).</summary>
    internal sealed class JumpBlock : FilterBlock
    {
        public JumpBlock(FilterBlock target) => Target = target;

        public FilterBlock Target { get; }
    }

    /// <summary>Lowers a condition to blocks: And/Or short-circuit, Not swaps the targets, constants pick one.</summary>
    internal static class FilterGraph
    {
        public static FilterBlock Lower(FilterCondition condition, FilterBlock whenTrue, FilterBlock whenFalse) => condition switch
        {
            ConstantCondition c => c.Value ? whenTrue : whenFalse,
            TestCondition t => new TestBlock(t.Left, t.Operation, t.Right, whenTrue, whenFalse),
            AndCondition a => Lower(a.Left, Lower(a.Right, whenTrue, whenFalse), whenFalse),
            OrCondition o => Lower(o.Left, whenTrue, Lower(o.Right, whenTrue, whenFalse)),
            NotCondition n => Lower(n.Operand, whenFalse, whenTrue),
            _ => throw new System.ArgumentOutOfRangeException(nameof(condition)),
        };

        /// <summary>The blocks reachable from <paramref name="entry"/> in reverse postorder: every edge goes forward.</summary>
        public static List<FilterBlock> Layout(FilterBlock entry)
        {
            var order = new List<FilterBlock>();
            var seen = new HashSet<FilterBlock>();
            var stack = new Stack<(FilterBlock Block, bool Expanded)>();
            stack.Push((entry, false));
            while (stack.Count > 0)
            {
                var (block, expanded) = stack.Pop();
                if (expanded) { order.Add(block); continue; }
                if (!seen.Add(block)) continue;
                stack.Push((block, true));
                foreach (var successor in Successors(block))
                    if (!seen.Contains(successor)) stack.Push((successor, false));
            }
            order.Reverse();
            return order;
        }

        public static IEnumerable<FilterBlock> Successors(FilterBlock block)
        {
            switch (block)
            {
                case TestBlock test:
                    // Visited true first so the false successor's blocks come first in postorder, the true
                    // successor's right after its test once reversed.
                    yield return test.True;
                    yield return test.False;
                    break;
                case JumpBlock jump:
                    yield return jump.Target;
                    break;
            }
        }
    }
}
