using System.Collections.Generic;
using CSharpBpf.Generator.Frontend;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// The first Linux release that has each feature the compiler emits — helpers, kernel functions, program and attach
    /// types, map types, the instruction set — so that <c>&lt;BpfTargetKernel&gt;</c> refuses at build what that kernel
    /// cannot load (BPF0036). Versions are the mainline releases that merged each one, as the kernel's
    /// include/uapi/linux/bpf.h history and bcc's docs/kernel-versions.md record them.
    /// </summary>
    internal static class KernelFeatures
    {
        /// <summary>A kernel release, major.minor.</summary>
        internal readonly struct Release : System.IComparable<Release>
        {
            public Release(int major, int minor)
            {
                Major = major;
                Minor = minor;
            }

            public int Major { get; }
            public int Minor { get; }

            public int CompareTo(Release other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

            public override string ToString() => $"{Major}.{Minor}";

            /// <summary>"6.1", "6.12", "v5.15" or "6.1.0-57-amd64" → the release; null for anything else.</summary>
            public static Release? Parse(string? text)
            {
                if (string.IsNullOrWhiteSpace(text)) return null;
                var parts = text!.Trim().TrimStart('v', 'V').Split('.', '-', '+');
                return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor) && major >= 3
                    ? new Release(major, minor) : (Release?)null;
            }
        }

        private static Release R(int major, int minor) => new Release(major, minor);

        private static readonly Dictionary<int, Release> Helpers = new Dictionary<int, Release>
        {
            [HelperIds.MapLookupElem] = R(3, 19), [HelperIds.MapUpdateElem] = R(3, 19), [HelperIds.MapDeleteElem] = R(3, 19),
            [HelperIds.KtimeGetNs] = R(4, 1), [HelperIds.TracePrintk] = R(4, 1), [HelperIds.GetPrandomU32] = R(4, 1),
            [HelperIds.GetSmpProcessorId] = R(4, 1), [HelperIds.SkbStoreBytes] = R(4, 1), [HelperIds.TailCall] = R(4, 2),
            [HelperIds.GetCurrentPidTgid] = R(4, 2), [HelperIds.GetCurrentUidGid] = R(4, 2), [HelperIds.GetCurrentComm] = R(4, 2),
            [HelperIds.Redirect] = R(4, 4), [HelperIds.PerfEventOutput] = R(4, 4), [HelperIds.SkbLoadBytes] = R(4, 5),
            [HelperIds.GetStackId] = R(4, 6), [HelperIds.GetCurrentTask] = R(4, 8), [HelperIds.XdpAdjustHead] = R(4, 10),
            [HelperIds.XdpAdjustTail] = R(4, 18), [HelperIds.SendSignal] = R(5, 3), [HelperIds.ProbeReadUser] = R(5, 5),
            [HelperIds.ProbeReadKernel] = R(5, 5), [HelperIds.ProbeReadUserString] = R(5, 5), [HelperIds.ProbeReadKernelString] = R(5, 5),
            [HelperIds.RingbufOutput] = R(5, 8), [HelperIds.RingbufReserve] = R(5, 8), [HelperIds.RingbufSubmit] = R(5, 8),
            [HelperIds.RingbufDiscard] = R(5, 8), [HelperIds.GetCurrentTaskBtf] = R(5, 11), [HelperIds.GetAttachCookie] = R(5, 15),
        };

        // Open-coded iterators (Bpf.Range): kernel/bpf/bpf_iter.c, merged in 6.4.
        private static readonly Dictionary<string, Release> KernelFunctions = new Dictionary<string, Release>
        {
            ["bpf_iter_num_new"] = R(6, 4), ["bpf_iter_num_next"] = R(6, 4), ["bpf_iter_num_destroy"] = R(6, 4),
        };

        // By ELF section prefix, as libbpf maps sections to program and attach types.
        private static readonly (string Prefix, Release Since, string What)[] Sections =
        {
            ("tcx/", R(6, 6), "tcx links ([TrafficControl] with a direction)"),
            ("iter/", R(5, 8), "BPF iterators ([Iter])"),
            ("lsm/", R(5, 7), "BPF LSM programs ([Lsm])"),
            ("fentry/", R(5, 5), "fentry programs ([Fentry])"),
            ("fexit/", R(5, 5), "fexit programs ([Fexit])"),
            ("tp_btf/", R(5, 5), "BTF tracepoints ([BtfTracepoint])"),
            ("raw_tp/", R(4, 17), "raw tracepoints ([RawTracepoint])"),
            ("usdt/", R(5, 15), "USDT probes ([Usdt], through bpf_get_attach_cookie)"),
            ("tracepoint/", R(4, 7), "tracepoint programs ([Tracepoint])"),
            ("xdp", R(4, 8), "XDP programs ([Xdp])"),
        };

        // Map types (uapi enum bpf_map_type) by number.
        private static readonly Dictionary<int, (Release Since, string What)> Maps = new Dictionary<int, (Release, string)>
        {
            [1] = (R(3, 19), "hash maps"), [2] = (R(3, 19), "array maps"), [3] = (R(4, 2), "program arrays"),
            [4] = (R(4, 3), "perf event arrays"), [5] = (R(4, 6), "per-CPU hash maps"), [6] = (R(4, 6), "per-CPU array maps"),
            [7] = (R(4, 6), "stack trace maps"), [9] = (R(4, 10), "LRU hash maps"), [10] = (R(4, 10), "per-CPU LRU hash maps"),
            [11] = (R(4, 11), "LPM trie maps"), [27] = (R(5, 8), "ring buffers"),
        };

        /// <summary>Verifiers since 6.14 know that an array map lookup at a constant key below max_entries cannot fail
        /// ("bpf: verifier: Support eliding map lookup nullness").</summary>
        public static readonly Release ConstantArrayKeysFound = R(6, 14);

        /// <summary>cpu v3 (32-bit jumps and ALU) since 5.1; v4 (sign extension, signed division, bswap) since 6.6.</summary>
        public static Release InstructionSet(int version) => version >= 4 ? R(6, 6) : version == 3 ? R(5, 1) : R(4, 14);

        public static Release? Helper(int id) => Helpers.TryGetValue(id, out var since) ? since : (Release?)null;

        public static Release? KernelFunction(string name) => KernelFunctions.TryGetValue(name, out var since) ? since : (Release?)null;

        public static (Release Since, string What)? Section(string section)
        {
            foreach (var (prefix, since, what) in Sections)
                if (section.StartsWith(prefix, System.StringComparison.Ordinal)) return (since, what);
            return null;
        }

        public static (Release Since, string What)? Map(int type) => Maps.TryGetValue(type, out var map) ? map : ((Release, string)?)null;
    }
}
