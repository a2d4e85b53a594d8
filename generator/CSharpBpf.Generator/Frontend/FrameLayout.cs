using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>
    /// Frame offsets of the locals that live in memory, planned from the method's scopes before lowering: a scope's
    /// locals sit above those of the scopes enclosing it, and sibling scopes share the same bytes (clang does the same
    /// with lifetime markers and stack colouring). Eight sibling blocks each with a 40-byte struct take 40 bytes, not 320.
    /// Because a slot may hold a sibling's bytes, a struct local with holes (padding, inline-array elements) whose declaration
    /// does not write it whole is zeroed where its scope starts, as .NET zero-initialises locals: its holes read as zero.
    /// </summary>
    internal sealed class FrameLayout
    {
        private readonly Dictionary<ILocalSymbol, int> _offsets = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
        private readonly Dictionary<int, List<ILocalSymbol>> _zeroAt = new Dictionary<int, List<ILocalSymbol>>();

        private FrameLayout() { }

        /// <summary>Bytes below r10 the planned locals take at the deepest scope; temporaries go below them.</summary>
        public int Depth { get; private set; }

        /// <summary>Plans the locals <paramref name="slot"/> gives a size and alignment for (null: not in memory);
        /// <paramref name="wholeMethod"/> ones (their address escapes as a pointer) live as long as the method.</summary>
        public static FrameLayout Plan(ControlFlowGraph cfg, System.Func<ILocalSymbol, (int Size, int Alignment)?> slot, System.Func<ILocalSymbol, bool> wholeMethod)
        {
            var layout = new FrameLayout();
            int top = 0;
            foreach (var local in Regions(cfg.Root).SelectMany(r => r.Locals).Where(wholeMethod))
                top = layout.Place(local, slot(local), top, cfg.Root.FirstBlockOrdinal);
            layout.Depth = layout.Visit(cfg.Root, top, slot, l => !wholeMethod(l));
            return layout;
        }

        /// <summary>Every planned local with its (negative) r10 offset.</summary>
        public IEnumerable<(ILocalSymbol Local, int Offset)> Planned => _offsets.Select(e => (e.Key, e.Value));

        /// <summary>The (negative) r10 offset of <paramref name="local"/>, if it was planned.</summary>
        public bool TryGetOffset(ILocalSymbol local, out int offset) => _offsets.TryGetValue(local, out offset);

        /// <summary>The locals to zero when control enters the block with this ordinal (their scope's first block).</summary>
        public IReadOnlyList<ILocalSymbol> ZeroedAt(int blockOrdinal) =>
            _zeroAt.TryGetValue(blockOrdinal, out var locals) ? locals : (IReadOnlyList<ILocalSymbol>)System.Array.Empty<ILocalSymbol>();

        private int Visit(ControlFlowRegion region, int top, System.Func<ILocalSymbol, (int Size, int Alignment)?> slot, System.Func<ILocalSymbol, bool> scoped)
        {
            foreach (var local in region.Locals.Where(scoped))
                top = Place(local, slot(local), top, region.FirstBlockOrdinal);
            int deepest = top;
            foreach (var nested in region.NestedRegions)
                deepest = System.Math.Max(deepest, Visit(nested, top, slot, scoped));
            return deepest;
        }

        private int Place(ILocalSymbol local, (int Size, int Alignment)? slot, int top, int firstBlock)
        {
            if (slot is not { } s) return top;
            top = (top + s.Size + s.Alignment - 1) / s.Alignment * s.Alignment;
            _offsets[local] = -top;
            if (TypeLayout.HasHoles(local.Type, null) && !WrittenWholeByDeclaration(local))
            {
                if (!_zeroAt.TryGetValue(firstBlock, out var list)) _zeroAt[firstBlock] = list = new List<ILocalSymbol>();
                list.Add(local);
            }
            return top;
        }

        // `S s = <expression>` writes every byte of s (a copy, or zeroes for default/new()); `S s;` and `out S s` may not.
        private static bool WrittenWholeByDeclaration(ILocalSymbol local) =>
            local.DeclaringSyntaxReferences.Length == 1 && local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer: not null };

        private static IEnumerable<ControlFlowRegion> Regions(ControlFlowRegion region) =>
            new[] { region }.Concat(region.NestedRegions.SelectMany(Regions));
    }
}
