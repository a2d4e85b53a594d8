using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The program types the compiler lowers, with their kernel program type number.</summary>
    internal enum ProgramKind
    {
        SocketFilter = 1,
        Kprobe = 2,
        SchedClassifier = 3,
        Tracepoint = 5,
        Xdp = 6,
        RawTracepoint = 17,
        /// <summary>BTF-typed tracing: tp_btf, fentry, fexit and iterators.</summary>
        Tracing = 26,
        /// <summary>BPF LSM hooks.</summary>
        Lsm = 29,
        /// <summary>A seccomp filter: classic BPF, installed with seccomp(2), not an eBPF program type.</summary>
        Seccomp = -1,
    }

    /// <summary>Reads a method's program attribute: kind, ELF section, context type and return type.</summary>
    internal static class ProgramKinds
    {
        /// <summary>A program attribute read. <see cref="ContextType"/> is the context's metadata name (generic
        /// contexts by their definition); tracing programs may also return void.</summary>
        public sealed record ProgramAttribute(ProgramKind Kind, string Section, string Attribute, string ContextType, string ReturnType)
        {
            public bool IsTracing => Kind is ProgramKind.Kprobe or ProgramKind.Tracepoint or ProgramKind.RawTracepoint or ProgramKind.Tracing or ProgramKind.Lsm;
        }

        public static ProgramAttribute? Of(AttributeData attribute)
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            var args = attribute.ConstructorArguments;
            string Text(int i) => args.Length > i && args[i].Value is string s ? s : "";
            switch (name)
            {
                case "CSharpBpf.XdpAttribute":
                    return new ProgramAttribute(ProgramKind.Xdp, "xdp", "Xdp", "CSharpBpf.XdpContext", "CSharpBpf.XdpAction");
                case "CSharpBpf.SocketFilterAttribute":
                    return new ProgramAttribute(ProgramKind.SocketFilter, "socket", "SocketFilter", "CSharpBpf.SkBuff", "uint");
                case "CSharpBpf.TrafficControlAttribute":
                    string section = args.Length == 1 && args[0].Value is int direction ? (direction == 0 ? "tcx/ingress" : "tcx/egress") : "tc";
                    return new ProgramAttribute(ProgramKind.SchedClassifier, section, "TrafficControl", "CSharpBpf.SkBuff", "CSharpBpf.TcAction");
                case "CSharpBpf.TracepointAttribute":
                    return new ProgramAttribute(ProgramKind.Tracepoint, $"tracepoint/{Text(0)}/{Text(1)}", "Tracepoint", "CSharpBpf.TracepointContext`1", "int");
                case "CSharpBpf.RawTracepointAttribute":
                    return new ProgramAttribute(ProgramKind.RawTracepoint, $"raw_tp/{Text(0)}", "RawTracepoint", "CSharpBpf.RawTracepointContext", "int");
                case "CSharpBpf.SeccompFilterAttribute":
                    return new ProgramAttribute(ProgramKind.Seccomp, "seccomp", "SeccompFilter", "CSharpBpf.SeccompData", "CSharpBpf.SeccompAction");
                case "CSharpBpf.KprobeAttribute":
                case "CSharpBpf.KretprobeAttribute":
                {
                    string kind = name == "CSharpBpf.KprobeAttribute" ? "kprobe" : "kretprobe";
                    return new ProgramAttribute(ProgramKind.Kprobe, $"{kind}/{Text(0)}", kind == "kprobe" ? "Kprobe" : "Kretprobe", "CSharpBpf.PtRegs", "int");
                }
                case "CSharpBpf.UprobeAttribute":
                case "CSharpBpf.UretprobeAttribute":
                {
                    string kind = name == "CSharpBpf.UprobeAttribute" ? "uprobe" : "uretprobe";
                    return new ProgramAttribute(ProgramKind.Kprobe, $"{kind}/{Text(0)}:{Text(1)}", kind == "uprobe" ? "Uprobe" : "Uretprobe", "CSharpBpf.PtRegs", "int");
                }
                case "CSharpBpf.BtfTracepointAttribute":
                    return new ProgramAttribute(ProgramKind.Tracing, $"tp_btf/{Text(0)}", "BtfTracepoint", "CSharpBpf.TracingContext`1", "int");
                case "CSharpBpf.FentryAttribute":
                    return new ProgramAttribute(ProgramKind.Tracing, $"fentry/{Text(0)}", "Fentry", "CSharpBpf.TracingContext`1", "int");
                case "CSharpBpf.FexitAttribute":
                    return new ProgramAttribute(ProgramKind.Tracing, $"fexit/{Text(0)}", "Fexit", "CSharpBpf.TracingContext`1", "int");
                case "CSharpBpf.IterAttribute":
                    return new ProgramAttribute(ProgramKind.Tracing, $"iter/{Text(0)}", "Iter", "CSharpBpf.TracingContext`1", "int");
                case "CSharpBpf.LsmAttribute":
                    return new ProgramAttribute(ProgramKind.Lsm, $"lsm/{Text(0)}", "Lsm", "CSharpBpf.TracingContext`1", "int");
                case "CSharpBpf.UsdtAttribute":
                    return new ProgramAttribute(ProgramKind.Kprobe, $"usdt/{Text(0)}:{Text(1)}:{Text(2)}", "Usdt", "CSharpBpf.UsdtContext", "int");
                default:
                    return null;
            }
        }
    }
}
