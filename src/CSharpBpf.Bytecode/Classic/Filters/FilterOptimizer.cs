using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Optimizes the block graph with the transformations of libpcap's optimizer, so that the programs make
    /// the same loads in the same order as tcpdump's (a load past the end of a cut-short frame ends the program with 0,
    /// so that order is part of what a filter decides):
    /// <list type="bullet">
    /// <item>jump threading: an edge goes past a test that every path to it has already decided — the same test, or an
    /// equality with another constant after an equality held (libpcap's fold_edge);</item>
    /// <item>a test whose two branches meet is skipped;</item>
    /// <item>pull-ups: in a chain of tests that all jump to one place when true (false), a later test of the value A
    /// already holds moves up before the tests of other values (or_pullup, and_pullup);</item>
    /// <item>blocks that compute, test and branch alike are shared.</item>
    /// </list></summary>
    internal static class FilterOptimizer
    {
        private readonly record struct Fact(FilterValue Left, ClassicJumpOperation Operation, uint K, bool Outcome);

        public static FilterBlock Optimize(FilterBlock entry)
        {
            for (int round = 0; round < 100; round++)
            {
                bool changed = ThreadJumps(entry);
                changed |= PullUp(ref entry);
                var shared = Share(entry);
                changed |= shared != entry;
                entry = shared;
                if (!changed) break;
            }
            return entry;
        }

        private static bool ThreadJumps(FilterBlock entry)
        {
            var layout = FilterGraph.Layout(entry);
            // Facts that hold on entry to each block: those of every edge into it (what dominates it).
            var entryFacts = new Dictionary<FilterBlock, HashSet<Fact>> { [entry] = new HashSet<Fact>() };
            bool changed = false;
            foreach (var block in layout)
            {
                if (block is not TestBlock test) continue;
                var known = entryFacts.TryGetValue(block, out var facts) ? facts : new HashSet<Fact>();
                foreach (bool outcome in new[] { true, false })
                {
                    var edgeFacts = new HashSet<Fact>(known);
                    if (test.Right.Constant is uint k) edgeFacts.Add(new Fact(test.Left, test.Operation, k, outcome));
                    var target = outcome ? test.True : test.False;
                    var threaded = Thread(target, edgeFacts);
                    if (threaded != target)
                    {
                        if (outcome) test.True = threaded; else test.False = threaded;
                        changed = true;
                    }
                    if (entryFacts.TryGetValue(threaded, out var existing)) existing.IntersectWith(edgeFacts);
                    else entryFacts[threaded] = edgeFacts;
                }
            }
            return changed;
        }

        private static FilterBlock Thread(FilterBlock target, HashSet<Fact> facts)
        {
            for (int hops = 0; hops < 1000 && target is TestBlock next; hops++)
            {
                if (next.True == next.False) { target = next.True; continue; }
                FilterBlock? decided = null;
                if (next.Right.Constant is uint k)
                    foreach (var fact in facts)
                    {
                        if (fact.Left != next.Left || fact.Operation != next.Operation) continue;
                        if (fact.K == k) { decided = fact.Outcome ? next.True : next.False; break; }
                        if (fact.Outcome && fact.Operation == ClassicJumpOperation.Equal) { decided = next.False; break; }
                    }
                if (decided == null) break;
                target = decided;
            }
            return target;
        }

        /// <summary>or_pullup and and_pullup on every block, deepest first.</summary>
        private static bool PullUp(ref FilterBlock entry)
        {
            bool changed = false;
            var layout = FilterGraph.Layout(entry);
            for (int i = layout.Count - 1; i >= 0; i--)
            {
                if (layout[i] is not TestBlock b) continue;
                foreach (bool orChain in new[] { true, false })
                {
                    if (PullUp(b, orChain, ref entry))
                    {
                        changed = true;
                        layout = FilterGraph.Layout(entry);
                        i = System.Math.Min(i, layout.Count);
                        break;
                    }
                }
            }
            return changed;
        }

        /// <summary>In the chain that leaves <paramref name="b"/> by its false edges (an or-chain: every test jumps to b's
        /// true target when true) — or by its true edges for an and-chain — find the first test of a value other than
        /// the one A holds on entry to b, then the next test of that value again, and move the latter up before the
        /// former. Every block involved must be reached only through b.</summary>
        private static bool PullUp(TestBlock b, bool orChain, ref FilterBlock entry)
        {
            var predecessors = Predecessors(entry);
            if (!predecessors.TryGetValue(b, out var incoming) || incoming.Count == 0) return false;
            var value = ((TestBlock)incoming[0].Block).Left;
            if (incoming.Any(edge => ((TestBlock)edge.Block).Left != value)) return false;
            var dominated = DominatedBy(entry, b);
            FilterBlock Chain(TestBlock t) => orChain ? t.False : t.True;
            FilterBlock Exit(TestBlock t) => orChain ? t.True : t.False;

            TestBlock? owner = null; // null: b itself is where the chain starts
            FilterBlock current = b;
            while (true)
            {
                if (current is not TestBlock t || Exit(t) != Exit(b) || !dominated.Contains(t)) return false;
                if (t.Left != value) break;
                owner = t;
                current = Chain(t);
            }
            var different = (TestBlock)current;
            TestBlock sameOwner = different;
            FilterBlock candidate = Chain(different);
            while (true)
            {
                if (candidate is not TestBlock t || Exit(t) != Exit(b) || !dominated.Contains(t)) return false;
                if (t.Left == value) break;
                sameOwner = t;
                candidate = Chain(t);
            }
            var pulled = (TestBlock)candidate;
            SetChain(sameOwner, Chain(pulled), orChain);
            SetChain(pulled, different, orChain);
            if (owner != null) SetChain(owner, pulled, orChain);
            else
            {
                foreach (var (block, whenTrue) in incoming)
                {
                    var predecessor = (TestBlock)block;
                    if (whenTrue) predecessor.True = pulled; else predecessor.False = pulled;
                }
                if (entry == b) entry = pulled;
            }
            return true;
        }

        private static void SetChain(TestBlock t, FilterBlock next, bool orChain)
        {
            if (orChain) t.False = next; else t.True = next;
        }

        private static Dictionary<FilterBlock, List<(FilterBlock Block, bool WhenTrue)>> Predecessors(FilterBlock entry)
        {
            var result = new Dictionary<FilterBlock, List<(FilterBlock, bool)>>();
            foreach (var block in FilterGraph.Layout(entry))
                if (block is TestBlock t)
                {
                    Add(t.True, (t, true));
                    Add(t.False, (t, false));
                }
            return result;

            void Add(FilterBlock to, (FilterBlock, bool) edge)
            {
                if (!result.TryGetValue(to, out var list)) result[to] = list = new List<(FilterBlock, bool)>();
                list.Add(edge);
            }
        }

        /// <summary>The blocks every path from the entry to which passes through <paramref name="dominator"/>.</summary>
        private static HashSet<FilterBlock> DominatedBy(FilterBlock entry, FilterBlock dominator)
        {
            var layout = FilterGraph.Layout(entry);
            var predecessors = Predecessors(entry);
            var dominated = new HashSet<FilterBlock> { dominator };
            foreach (var block in layout)
                if (block != dominator && block != entry && predecessors.TryGetValue(block, out var incoming)
                    && incoming.All(edge => dominated.Contains(edge.Block)))
                    dominated.Add(block);
            return dominated;
        }

        /// <summary>Makes blocks that compute, test and branch alike one block (bottom-up, so whole equal tails merge).</summary>
        private static FilterBlock Share(FilterBlock entry)
        {
            var layout = FilterGraph.Layout(entry);
            var canonical = new Dictionary<FilterBlock, FilterBlock>();
            var returns = new Dictionary<uint, FilterBlock>();
            var tests = new Dictionary<(FilterValue, ClassicJumpOperation, FilterValue, FilterBlock, FilterBlock), FilterBlock>();
            for (int i = layout.Count - 1; i >= 0; i--)
            {
                var block = layout[i];
                switch (block)
                {
                    case ReturnBlock r:
                        canonical[r] = returns.TryGetValue(r.Value, out var same) ? same : returns[r.Value] = r;
                        break;
                    case TestBlock t:
                        t.True = canonical[t.True];
                        t.False = canonical[t.False];
                        var key = (t.Left, t.Operation, t.Right, t.True, t.False);
                        canonical[t] = tests.TryGetValue(key, out var existing) ? existing : tests[key] = t;
                        break;
                    default:
                        canonical[block] = block;
                        break;
                }
            }
            return canonical[entry];
        }
    }
}
