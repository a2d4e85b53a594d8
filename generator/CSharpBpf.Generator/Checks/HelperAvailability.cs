using System.Collections.Generic;
using CSharpBpf.Generator.Frontend;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// Which kernel helpers each program kind may call, and which need a GPL-compatible license, for the helpers
    /// the compiler emits — the kernel's *_func_proto tables (net/core/filter.c for socket filters, tc and XDP;
    /// kernel/trace/bpf_trace.c for kprobes, tracepoints and raw tracepoints). The verifier refuses anything else with
    /// "program of this type cannot use helper"; the analyzers report it while the user types (BPF0016).
    /// </summary>
    internal static class HelperAvailability
    {
        // The kernel's base prototypes, which it gives a privileged loader in every program kind (checked on
        // kernel 6.18: pid/tgid, uid/gid and comm load even in XDP and socket filters).
        private static readonly HashSet<int> Everywhere = new HashSet<int>
        {
            HelperIds.MapLookupElem, HelperIds.MapUpdateElem, HelperIds.MapDeleteElem, HelperIds.KtimeGetNs, HelperIds.TracePrintk,
            HelperIds.GetPrandomU32, HelperIds.GetSmpProcessorId, HelperIds.TailCall, HelperIds.RingbufOutput,
            HelperIds.RingbufReserve, HelperIds.RingbufSubmit, HelperIds.RingbufDiscard,
            HelperIds.GetCurrentPidTgid, HelperIds.GetCurrentUidGid, HelperIds.GetCurrentComm, HelperIds.PerfEventOutput,
        };

        // bpf_tracing_func_proto plus each tracing type's own get_stackid.
        private static readonly HashSet<int> Tracing = new HashSet<int>
        {
            HelperIds.ProbeReadUser, HelperIds.ProbeReadKernel, HelperIds.ProbeReadUserString, HelperIds.ProbeReadKernelString,
            HelperIds.SendSignal, HelperIds.GetStackId, HelperIds.GetAttachCookie, HelperIds.GetCurrentTask,
        };

        // BTF-typed programs (tracing_prog_func_proto) add the helpers that return typed kernel pointers.
        private static readonly HashSet<int> BtfTyped = new HashSet<int>(Tracing) { HelperIds.GetCurrentTaskBtf };

        private static readonly Dictionary<ProgramKind, HashSet<int>> Extra = new Dictionary<ProgramKind, HashSet<int>>
        {
            [ProgramKind.SocketFilter] = new HashSet<int> { HelperIds.SkbLoadBytes },
            [ProgramKind.SchedClassifier] = new HashSet<int> { HelperIds.SkbLoadBytes, HelperIds.SkbStoreBytes, HelperIds.Redirect },
            [ProgramKind.Xdp] = new HashSet<int> { HelperIds.Redirect, HelperIds.XdpAdjustHead, HelperIds.XdpAdjustTail },
            [ProgramKind.Kprobe] = Tracing,
            [ProgramKind.Tracepoint] = Tracing,
            [ProgramKind.RawTracepoint] = Tracing,
            [ProgramKind.Tracing] = BtfTyped,
            [ProgramKind.Lsm] = BtfTyped,
        };

        private static readonly Dictionary<int, string> Names = new Dictionary<int, string>
        {
            [HelperIds.TracePrintk] = "Bpf.Printk (bpf_trace_printk)",
            [HelperIds.SkbLoadBytes] = "SkBuff.TryLoad (bpf_skb_load_bytes)",
            [HelperIds.SkbStoreBytes] = "SkBuff.TryStore (bpf_skb_store_bytes)",
            [HelperIds.Redirect] = "Redirect (bpf_redirect)",
            [HelperIds.XdpAdjustHead] = "AdjustHead (bpf_xdp_adjust_head)",
            [HelperIds.XdpAdjustTail] = "AdjustTail (bpf_xdp_adjust_tail)",
            [HelperIds.PerfEventOutput] = "BpfPerfEventArray.Output (bpf_perf_event_output)",
            [HelperIds.GetStackId] = "BpfStackTraceMap.GetStackId (bpf_get_stackid)",
            [HelperIds.SendSignal] = "Bpf.SendSignal (bpf_send_signal)",
            [HelperIds.ProbeReadUser] = "Bpf.ProbeReadUser (bpf_probe_read_user)",
            [HelperIds.GetAttachCookie] = "UsdtContext.Arg (bpf_get_attach_cookie)",
            [HelperIds.GetCurrentTask] = "Bpf.GetCurrentTask (bpf_get_current_task)",
            [HelperIds.GetCurrentTaskBtf] = "Bpf.GetCurrentTask (bpf_get_current_task_btf)",
            [HelperIds.ProbeReadKernel] = "Bpf.ProbeReadKernel (bpf_probe_read_kernel)",
            [HelperIds.ProbeReadUserString] = "Bpf.ProbeReadUserString (bpf_probe_read_user_str)",
            [HelperIds.ProbeReadKernelString] = "Bpf.ProbeReadKernelString (bpf_probe_read_kernel_str)",
            [HelperIds.RingbufOutput] = "BpfRingBuffer.Output (bpf_ringbuf_output)",
            [HelperIds.RingbufReserve] = "BpfRingBuffer.Reserve (bpf_ringbuf_reserve)",
            [HelperIds.RingbufSubmit] = "BpfRingBuffer.Submit (bpf_ringbuf_submit)",
            [HelperIds.RingbufDiscard] = "BpfRingBuffer.Discard (bpf_ringbuf_discard)",
        };

        // gpl_only = true in the helpers' prototypes.
        private static readonly HashSet<int> GplOnly = new HashSet<int>
        {
            HelperIds.TracePrintk, HelperIds.PerfEventOutput, HelperIds.GetStackId, HelperIds.ProbeReadUser, HelperIds.ProbeReadKernel, HelperIds.GetCurrentTask, HelperIds.GetCurrentTaskBtf,
            HelperIds.ProbeReadUserString, HelperIds.ProbeReadKernelString,
        };

        /// <summary>Helpers the kernel gives only to GPL-compatible programs.</summary>
        public static bool IsGplOnly(int helper) => GplOnly.Contains(helper);

        public static bool IsAllowed(ProgramKind kind, int helper) => Everywhere.Contains(helper) || Extra[kind].Contains(helper);

        public static string NameOf(int helper) => Names.TryGetValue(helper, out var name) ? name : $"helper {helper}";

        /// <summary>The kernel's license_is_gpl_compatible.</summary>
        public static bool IsGplCompatible(string license) =>
            license is "GPL" or "GPL v2" or "GPL and additional rights" or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";
    }
}
