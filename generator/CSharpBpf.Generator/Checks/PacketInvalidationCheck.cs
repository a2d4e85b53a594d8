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
    /// at its line, with the helper that invalidated it.
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
        public static IReadOnlyList<(int Line, string Helper)> StaleAccesses(IrFunction function)
        {
            var found = new SortedDictionary<int, string>();
            // A tracked register maps to null while it is a valid packet pointer, or to the helper that invalidated it.
            ForwardDataflow.Run(function, new Dictionary<int, string?>(), state => new Dictionary<int, string?>(state), (block, state) =>
            {
                foreach (var ins in block.Instructions) Step(ins, state, found);
                return block.Successors().Select(s => (s, state));
            }, Merge);
            return found.Select(f => (f.Key, f.Value)).ToList();
        }

        private static void Step(IrInstruction ins, Dictionary<int, string?> state, SortedDictionary<int, string> found)
        {
            if (ins.Op is IrOp.Load or IrOp.Store or IrOp.Atomic or IrOp.CompareExchange && ins.A.IsRegister && ins.Line > 0
                && state.TryGetValue(ins.A.Register, out var stale) && stale != null && !found.ContainsKey(ins.Line))
                found[ins.Line] = stale;
            if (ins.Op == IrOp.CallHelper && MovesPacket.TryGetValue(ins.Helper, out var helper))
                foreach (var register in state.Keys.ToList()) state[register] = helper;
            if (ins.Dst < 0) return;
            bool FromPacket(Operand o, out string? s)
            {
                s = null;
                return o.IsRegister && state.TryGetValue(o.Register, out s);
            }
            if (ins.Op == IrOp.Load && ins.PacketPointer) state[ins.Dst] = null;
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
