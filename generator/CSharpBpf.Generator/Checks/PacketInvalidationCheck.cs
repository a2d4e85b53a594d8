using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Frontend;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// The verifier's rule for helpers that change packet data (bpf_helper_changes_pkt_data in net/core/filter.c): after
    /// such a call every pointer into the packet is invalid, and an access through one is refused ("invalid mem access
    /// 'scalar'"). Forward dataflow over IR: registers computed from the context's data or data_end are packet pointers;
    /// a packet-moving helper makes every one of them stale; a load or store through a stale one on some path is reported
    /// at its line, with the helper that invalidated it. Calls to the object's other methods follow their
    /// <see cref="FunctionSummary"/>: one that may move the packet invalidates like the helper it calls, one that returns a
    /// packet ref gives a packet pointer, and passing a packet pointer to a parameter it uses after a move is a stale access.
    /// </summary>
    internal static class PacketInvalidationCheck
    {
        /// <summary>The helpers that may move or resize the packet, with the name a diagnostic gives them.</summary>
        private static readonly Dictionary<int, string> MovesPacket = new Dictionary<int, string>
        {
            [HelperIds.SkbStoreBytes] = "SkBuff.TryStore (bpf_skb_store_bytes)", [10] = "bpf_l3_csum_replace", [11] = "bpf_l4_csum_replace",
            [18] = "bpf_skb_vlan_push", [19] = "bpf_skb_vlan_pop", [31] = "bpf_skb_change_proto", [32] = "bpf_skb_change_type",
            [38] = "bpf_skb_change_tail", [39] = "bpf_skb_pull_data", [43] = "bpf_skb_change_head",
            [HelperIds.XdpAdjustHead] = "AdjustHead (bpf_xdp_adjust_head)", [50] = "bpf_skb_adjust_room", [54] = "AdjustMeta (bpf_xdp_adjust_meta)",
            [HelperIds.XdpAdjustTail] = "AdjustTail (bpf_xdp_adjust_tail)",
        };

        /// <summary>Each line that accesses memory through a stale packet pointer, with the helper that made it stale.</summary>
        public static IReadOnlyList<(int Line, string Helper)> StaleAccesses(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees) =>
            Analyse(function, callees, packetParameter: -1).Stale;

        /// <summary>The stale accesses and whether a return may hand back a packet pointer; with <paramref name="packetParameter"/>
        /// ≥ 0 that parameter arrives as a valid packet pointer.</summary>
        public static (List<(int Line, string Helper)> Stale, bool ReturnsPacketPointer) Analyse(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees, int packetParameter)
        {
            var found = new SortedDictionary<int, string>();
            bool returnsPacket = false;
            // A tracked register maps to null while it is a valid packet pointer, or to the helper that invalidated it.
            var entry = new Dictionary<int, string?>();
            if (packetParameter >= 0) entry[function.Parameters[packetParameter]] = null;
            ForwardDataflow.Run(function, entry, state => new Dictionary<int, string?>(state), (block, state) =>
            {
                foreach (var ins in block.Instructions) Step(ins, state, found, callees);
                if (block.Terminator == TerminatorKind.Return && block.Left.IsRegister && state.ContainsKey(block.Left.Register)) returnsPacket = true;
                return block.Successors().Select(s => (s, state));
            }, Merge);
            return (found.Select(f => (f.Key, f.Value)).ToList(), returnsPacket);
        }

        /// <summary>The packet-moving helper <paramref name="function"/> or a callee may call (named for a caller's message), or null.</summary>
        public static string? MovingHelper(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees) =>
            function.Blocks.SelectMany(b => b.Instructions).Select(ins => Moves(ins, callees)).FirstOrDefault(h => h != null);

        private static string? Moves(IrInstruction ins, IReadOnlyDictionary<string, FunctionSummary> callees) =>
            ins.Op == IrOp.CallHelper && MovesPacket.TryGetValue(ins.Helper, out var helper) ? helper
            : ins.Op == IrOp.CallLocal && ins.Symbol != null && callees.TryGetValue(ins.Symbol, out var callee) && callee.MovesPacket != null
                ? $"{ins.Symbol} (it calls {callee.MovesPacket})" : null;

        private static void Step(IrInstruction ins, Dictionary<int, string?> state, SortedDictionary<int, string> found, IReadOnlyDictionary<string, FunctionSummary> callees)
        {
            if (ins.Op is IrOp.Load or IrOp.Store or IrOp.Atomic or IrOp.CompareExchange && ins.A.IsRegister && ins.Line > 0
                && state.TryGetValue(ins.A.Register, out var stale) && stale != null && !found.ContainsKey(ins.Line))
                found[ins.Line] = stale;
            var callee = ins.Op == IrOp.CallLocal && ins.Symbol != null && callees.TryGetValue(ins.Symbol, out var summary) ? summary : null;
            // A valid packet pointer handed to a parameter the callee uses after moving the packet goes stale in the callee.
            if (callee != null && ins.Line > 0 && !found.ContainsKey(ins.Line))
                for (int i = 0; i < ins.Arguments.Count; i++)
                    if (ins.Arguments[i].IsRegister && state.TryGetValue(ins.Arguments[i].Register, out var valid) && valid == null && callee.UsesAfterMove(i) is { } moved)
                    {
                        found[ins.Line] = $"{moved} inside {ins.Symbol}";
                        break;
                    }
            if (Moves(ins, callees) is { } helper)
                foreach (var register in state.Keys.ToList()) state[register] = helper;
            if (ins.Dst < 0) return;
            bool FromPacket(Operand o, out string? s)
            {
                s = null;
                return o.IsRegister && state.TryGetValue(o.Register, out s);
            }
            if (ins.Op == IrOp.Load && ins.PacketPointer || callee is { ReturnsPacketPointer: true }) state[ins.Dst] = null;
            else if (ins.Op is IrOp.Move or IrOp.Alu && FromPacket(ins.A, out var a)) state[ins.Dst] = a;
            else if (ins.Op == IrOp.Alu && FromPacket(ins.B, out var b)) state[ins.Dst] = b;
            else state.Remove(ins.Dst);
        }

        /// <summary>A pointer stale on any path is stale (the verifier checks every path); true when that changed anything.</summary>
        private static bool Merge(Dictionary<int, string?> into, Dictionary<int, string?> other)
        {
            bool changed = false;
            foreach (var pair in other)
            {
                if (into.TryGetValue(pair.Key, out var current) && (current != null || pair.Value == null)) continue;
                into[pair.Key] = pair.Value ?? current;
                changed = true;
            }
            return changed;
        }
    }
}
