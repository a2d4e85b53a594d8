using System;
using System.Collections.Generic;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>The worklist the IR checks share: a forward analysis over a function's blocks, run until the states
    /// reaching each block stop changing.</summary>
    internal static class ForwardDataflow
    {
        /// <param name="function">The function; its first block is the entry.</param>
        /// <param name="entryState">The state reaching the entry.</param>
        /// <param name="copy">A copy of a state, so a visit may change it.</param>
        /// <param name="visit">Runs a block over the state reaching it and gives each successor with the state along that edge.</param>
        /// <param name="merge">Widens a block's state with another edge's; true when it changed.</param>
        public static void Run<TState>(IrFunction function, TState entryState, Func<TState, TState> copy,
            Func<IrBlock, TState, IEnumerable<(IrBlock, TState)>> visit, Func<TState, TState, bool> merge)
        {
            var entry = function.Blocks[0];
            var incoming = new Dictionary<IrBlock, TState> { [entry] = entryState };
            var work = new Queue<IrBlock>(new[] { entry });
            while (work.Count > 0)
            {
                var block = work.Dequeue();
                foreach (var (successor, state) in visit(block, copy(incoming[block])))
                {
                    if (!incoming.TryGetValue(successor, out var existing))
                    {
                        // Its own copy: a visit may hand the same state to several successors, and a later merge into
                        // one of them must not change (and so hide a change from) the others.
                        incoming[successor] = copy(state);
                        work.Enqueue(successor);
                    }
                    else if (merge(existing, state))
                    {
                        work.Enqueue(successor);
                    }
                }
            }
        }
    }
}
