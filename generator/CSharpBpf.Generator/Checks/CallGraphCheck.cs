using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>Recursion and the 512-byte stack limit, over the object's call graph. The kernel counts
    /// each frame rounded up to 32 bytes and sums the frames along the deepest chain (check_max_stack_depth).</summary>
    internal static class CallGraphCheck
    {
        public const int StackLimit = 512;

        /// <param name="addedCallees">For a method that calls functions the compiler adds (a ctx.Matches filter), the largest of their frames.</param>
        public static IEnumerable<Diagnostic> Check(IMethodSymbol program, IReadOnlyDictionary<IMethodSymbol, HashSet<IMethodSymbol>> calls, IReadOnlyDictionary<IMethodSymbol, int> frames,
            IReadOnlyDictionary<IMethodSymbol, List<StackUser>> stackUsers, IReadOnlyDictionary<IMethodSymbol, int> addedCallees)
        {
            var diagnostics = new List<Diagnostic>();
            var (deepest, chain) = Depth(program, new List<IMethodSymbol>(), calls, frames, addedCallees, diagnostics);
            if (deepest > StackLimit)
            {
                // Point at the local whose bytes cross the limit along the deepest chain, and name what takes the space there.
                var users = new List<(StackUser User, string Method, int Top)>();
                int below = 0;
                foreach (var method in chain)
                {
                    if (stackUsers.TryGetValue(method, out var own))
                        users.AddRange(own.Select(u => (u, method.Name, below - u.Offset)));
                    below += Rounded(frames, method);
                }
                var crossing = users.Where(u => u.Top > StackLimit && u.User.Location != null).OrderBy(u => u.Top - u.User.Size).Select(u => u.User.Location).FirstOrDefault();
                var largest = users.OrderByDescending(u => u.User.Size).Take(4).Select(u => $"{u.User.Name} {u.User.Size} B in {u.Method}");
                diagnostics.Add(Diagnostic.Create(BpfDiagnostics.StackTooLarge, crossing ?? program.Locations.FirstOrDefault(), program.Name, deepest,
                    string.Join(" → ", chain.Select(m => m.Name)), "largest: " + string.Join(", ", largest)));
            }
            return diagnostics;
        }

        private static int Rounded(IReadOnlyDictionary<IMethodSymbol, int> frames, IMethodSymbol method) =>
            frames.TryGetValue(method, out int f) ? (f + 31) / 32 * 32 : 0;

        private static (int Depth, List<IMethodSymbol> Chain) Depth(IMethodSymbol method, List<IMethodSymbol> chain, IReadOnlyDictionary<IMethodSymbol, HashSet<IMethodSymbol>> calls, IReadOnlyDictionary<IMethodSymbol, int> frames,
            IReadOnlyDictionary<IMethodSymbol, int> addedCallees, List<Diagnostic> diagnostics)
        {
            if (chain.Contains(method, SymbolEqualityComparer.Default))
            {
                var cycle = chain.SkipWhile(m => !SymbolEqualityComparer.Default.Equals(m, method)).Select(m => m.Name).Concat(new[] { method.Name });
                diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Recursion, method.Locations.FirstOrDefault(), method.Name, string.Join(" → ", cycle)));
                return (0, new List<IMethodSymbol>());
            }
            var deepest = (Depth: 0, Chain: new List<IMethodSymbol>());
            if (calls.TryGetValue(method, out var callees))
            {
                chain.Add(method);
                foreach (var callee in callees)
                {
                    var below = Depth(callee, chain, calls, frames, addedCallees, diagnostics);
                    if (below.Depth > deepest.Depth) deepest = below;
                }
                chain.RemoveAt(chain.Count - 1);
            }
            deepest.Chain.Insert(0, method);
            int added = addedCallees.TryGetValue(method, out int frame) ? (frame + 31) / 32 * 32 : 0;
            return (Rounded(frames, method) + System.Math.Max(added, deepest.Depth), deepest.Chain);
        }
    }
}
