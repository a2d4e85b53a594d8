using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>Recursion and the 512-byte stack limit, over the object's call graph. The kernel counts
    /// each frame rounded up to 32 bytes and sums the frames along the deepest chain.</summary>
    internal static class CallGraphCheck
    {
        public const int StackLimit = 512;

        public static IEnumerable<Diagnostic> Check(IMethodSymbol program, IReadOnlyDictionary<IMethodSymbol, HashSet<IMethodSymbol>> calls, IReadOnlyDictionary<IMethodSymbol, int> frames,
            IReadOnlyDictionary<IMethodSymbol, List<(string Name, int Offset, int Size)>> stackUsers)
        {
            var diagnostics = new List<Diagnostic>();
            int deepest = Depth(program, new List<IMethodSymbol>(), calls, frames, diagnostics);
            if (deepest > StackLimit)
            {
                // Name what takes the space, largest first, across every method the program reaches.
                var reached = new List<IMethodSymbol> { program };
                for (int i = 0; i < reached.Count; i++)
                    if (calls.TryGetValue(reached[i], out var callees))
                        reached.AddRange(callees.Where(c => !reached.Contains(c, SymbolEqualityComparer.Default)));
                var largest = reached.SelectMany(m => stackUsers.TryGetValue(m, out var users) ? users.Select(u => (u.Name, u.Size, Method: m.Name)) : Enumerable.Empty<(string, int, string)>())
                    .OrderByDescending(u => u.Item2).Take(4).Select(u => $"{u.Item1} {u.Item2} B in {u.Item3}");
                diagnostics.Add(Diagnostic.Create(BpfDiagnostics.StackTooLarge, program.Locations.FirstOrDefault(), program.Name, deepest, "largest: " + string.Join(", ", largest)));
            }
            return diagnostics;
        }

        private static int Depth(IMethodSymbol method, List<IMethodSymbol> chain, IReadOnlyDictionary<IMethodSymbol, HashSet<IMethodSymbol>> calls, IReadOnlyDictionary<IMethodSymbol, int> frames, List<Diagnostic> diagnostics)
        {
            if (chain.Contains(method, SymbolEqualityComparer.Default))
            {
                var cycle = chain.SkipWhile(m => !SymbolEqualityComparer.Default.Equals(m, method)).Select(m => m.Name).Concat(new[] { method.Name });
                diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Recursion, method.Locations.FirstOrDefault(), method.Name, string.Join(" → ", cycle)));
                return 0;
            }
            int own = frames.TryGetValue(method, out int f) ? (f + 31) / 32 * 32 : 0;
            int deepest = 0;
            if (calls.TryGetValue(method, out var callees))
            {
                chain.Add(method);
                foreach (var callee in callees) deepest = System.Math.Max(deepest, Depth(callee, chain, calls, frames, diagnostics));
                chain.RemoveAt(chain.Count - 1);
            }
            return own + deepest;
        }
    }
}
