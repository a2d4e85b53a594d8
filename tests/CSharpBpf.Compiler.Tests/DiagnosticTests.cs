using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Code outside the subset is a diagnostic with an ID, at the construct, saying what to write
/// instead — never an exception and never silently wrong code.</summary>
public sealed class DiagnosticTests
{
    private static string Program(string body, string members = "") => $$"""
        [BpfObject]
        public static partial class P
        {
            {{members}}
            [TrafficControl]
            public static TcAction Run(SkBuff skb)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("BPF0020", "object o = new object(); return TcAction.Ok;", "new object()")]
    [InlineData("BPF0025", "float f = skb.Length * 1.5f; return (TcAction)(int)f;", "f = skb.Length * 1.5f")]
    [InlineData("BPF0022", "throw new System.Exception();", "new System.Exception()")]
    [InlineData("BPF0021", "string s = \"x\" + skb.Length; return TcAction.Ok;", "s = \"x\" + skb.Length")]
    [InlineData("BPF0024", "System.Func<int> f = () => 1; return (TcAction)f();", "() => 1")]
    [InlineData("BPF0001", "int x = checked((int)skb.Length + 1); return (TcAction)x;", "(int)skb.Length + 1")]
    [InlineData("BPF0001", "foreach (var c in \"ab\") { } return TcAction.Ok;", "foreach")]
    [InlineData("BPF0023", "return (TcAction)skb.Length.GetHashCode();", "skb.Length.GetHashCode()")]
    [InlineData("BPF0024", "return (TcAction)System.Linq.Enumerable.Count(System.Linq.Enumerable.Range(0, 3));", "System.Linq.Enumerable.Count(")]
    [InlineData("BPF0020", "var a = new int[4]; return (TcAction)a[0];", "new int[4]")]
    [InlineData("BPF0002", "int i = 0; while (true) { i++; if (i > (int)skb.Length) break; } return TcAction.Ok;", "while")]
    [InlineData("BPF0002", "int s = 0; for (int i = 0; i < (int)skb.Length; i++) s++; return (TcAction)s;", "for")]
    [InlineData("BPF0002", "int s = 0; for (int i = 0; i < 10; i++) { s++; i--; } return (TcAction)s;", "for")]
    [InlineData("BPF0010", "return (TcAction)(100 / (int)skb.Length);", "100 / (int)skb.Length")]
    [InlineData("BPF0011", "Bpf.Printk($\"{skb.Length}{skb.Mark}{skb.Hash}{skb.Priority}\"); return TcAction.Ok;", "{skb.Priority}")]
    public void Reports_the_construct_with_an_id_at_its_location(string id, string body, string at)
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program(body));
        var diagnostic = diagnostics.SingleOrDefault(d => d.Id == id);
        Assert.True(diagnostic != null, $"expected one {id}, got: {string.Join("; ", diagnostics.Select(d => d.ToString()))}");
        Assert.StartsWith(at, GeneratorHarness.TextAt(diagnostic!, Program(body)));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("docs/diagnostics/" + id, diagnostic.Descriptor.HelpLinkUri);
    }

    /// <summary>An array element at a constant index below the size always exists, but only verifiers from Linux 6.14 know
    /// it: before that (and when the target kernel is not said) the untested ref is BPF0015, as 6.12's verifier refuses it.</summary>
    [Theory]
    [InlineData("", true)]
    [InlineData("(TargetKernel = \"6.12\")", true)]
    [InlineData("(TargetKernel = \"6.14\")", false)]
    public void An_array_ref_at_a_constant_index_is_tested_unless_the_target_verifier_knows_it_exists(string attribute, bool reported)
    {
        string source = $$"""
            [BpfObject{{attribute}}]
            public static partial class P
            {
                static readonly BpfArray<long> m = new(maxEntries: 4);

                [TrafficControl]
                public static TcAction Run(SkBuff skb)
                {
                    ref long v = ref m.GetValueRefOrNullRef(3);
                    v += 1;
                    return TcAction.Pipe;
                }
            }
            """;
        var diagnostics = GeneratorHarness.Diagnostics(source);
        if (reported) Assert.Equal("v += 1;", GeneratorHarness.TextAt(Assert.Single(diagnostics, d => d.Id == "BPF0015"), source));
        else Assert.Empty(diagnostics);
    }

    /// <summary>Issue #23: what the kernel named by &lt;BpfTargetKernel&gt; (here BpfObject's TargetKernel) lacks is BPF0036 at
    /// the line, saying the release it needs and what to write instead; a target that has it builds clean.</summary>
    [Theory]
    [InlineData("6.1", "4", "[TrafficControl] public static TcAction Run(SkBuff skb) => TcAction.Ok;", "P", "Linux 6.6", "<BpfCpuVersion> to 3")]
    [InlineData("6.1", "3", "[TrafficControl] public static TcAction Run(SkBuff skb)\n    {\n        long s = 0;\n        foreach (int i in Bpf.Range(0, 100)) s += i;\n        return (TcAction)s;\n    }",
        "foreach", "Linux 6.4", "for loop")]
    [InlineData("6.1", "3", "[TrafficControl(TcxDirection.Ingress)] public static TcAction Run(SkBuff skb) => TcAction.Ok;", "Run", "Linux 6.6", "without a direction")]
    [InlineData("5.4", "3", "static readonly BpfRingBuffer events = new(4096); [Tracepoint(\"syscalls\", \"sys_enter_getppid\")] public static int Run(TracepointContext ctx) { events.Output(1L); return 0; }",
        "events", "Linux 5.8", "BpfPerfEventArray")]
    [InlineData("5.4", "3", "[BtfTracepoint(\"sched_switch\")] public static int Run(TracingContext<ulong> ctx) => 0;", "Run", "Linux 5.5", "newer kernel")]
    public void What_the_target_kernel_lacks_is_refused_at_the_line(string target, string cpu, string members, string at, string needs, string advice)
    {
        string source = $$"""
            [BpfObject(TargetKernel = "{{target}}", CpuVersion = {{cpu}})]
            public static partial class P
            {
                {{members}}
            }
            """;
        var diagnostics = GeneratorHarness.Diagnostics(source);
        var refused = diagnostics.Where(d => d.Id == "BPF0036").ToList();
        Assert.True(refused.Count > 0, string.Join("; ", diagnostics));
        Assert.Contains(refused, d => GeneratorHarness.TextAt(d, source).StartsWith(at) && d.GetMessage().Contains(needs) && d.GetMessage().Contains(advice)
            && d.GetMessage().Contains("is " + target));
        Assert.All(refused, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        // The same object for a kernel that has it: nothing from BPF0036.
        Assert.DoesNotContain(GeneratorHarness.Diagnostics(source.Replace($"TargetKernel = \"{target}\"", "TargetKernel = \"6.12\"")), d => d.Id == "BPF0036");
    }

    [Fact]
    public void A_target_kernel_that_is_not_a_release_says_how_to_write_one()
    {
        const string source = """
            [BpfObject(TargetKernel = "bookworm")]
            public static partial class P
            {
                [TrafficControl] public static TcAction Run(SkBuff skb) => TcAction.Ok;
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0001", diagnostic.Id);
        Assert.Contains("such as 6.1", diagnostic.GetMessage());
    }

    [Fact]
    public void A_usdt_argument_index_must_be_a_constant_the_decoder_can_unroll()
    {
        const string source = """
            [BpfObject]
            public static partial class P
            {
                [Usdt("/usr/bin/python3", "python", "line")]
                public static int Run(UsdtContext ctx)
                {
                    int i = ctx.ArgCount - 1;
                    return (int)ctx.Arg(i) + (int)ctx.Arg(11);
                }
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0001", diagnostic.Id);
        Assert.Equal("i", GeneratorHarness.TextAt(diagnostic, source));
        Assert.Contains("index with a constant", diagnostic.GetMessage());
    }

    private const string KernelTypes = """
        [KernelType("task_struct")]
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 16)]
        public struct Task
        {
            [KernelField("tgid"), System.Runtime.InteropServices.FieldOffset(0)] public int Tgid;
            [KernelField("real_parent"), System.Runtime.InteropServices.FieldOffset(8)] public KernelPointer<Task> Parent;
            [KernelField("flags", BitOffset = 32, Bits = 1)] public readonly int Flag => 0;
            public readonly int Doubled => Tgid * 2;
        }
        public struct Plain { public int X; }
        """;

    /// <summary>Issue #14: CO-RE reads are refused where they cannot mean what the C# says, at the construct.</summary>
    [Theory]
    [InlineData("int x = 0; return Bpf.FieldExists(x) ? 1 : 0;", "x", "read through a KernelPointer")]
    [InlineData("int x = 0; return Bpf.CoreRead(x);", "x", "read through a KernelPointer")]
    [InlineData("return Bpf.GetCurrentTask<Task>().Value.Doubled;", "Bpf.GetCurrentTask<Task>().Value.Doubled", "[KernelField]")]
    [InlineData("return new KernelPointer<Plain>(0).Value.X;", "new KernelPointer<Plain>(0).Value", "[KernelType]")]
    [InlineData("return Bpf.GetCurrentTask<Plain>().Value.X;", "Bpf.GetCurrentTask<Plain>()", "task_struct")]
    public void Kernel_reads_that_cannot_be_relocated_are_reported_with_what_to_write(string body, string at, string advice)
    {
        string source = KernelTypes + $$"""
            [BpfObject]
            public static partial class P
            {
                [Tracepoint("syscalls", "sys_enter_getppid")]
                public static int Run(TracepointContext ctx) { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source), d => d.Id == "BPF0001");
        Assert.Equal(at, GeneratorHarness.TextAt(diagnostic, source));
        Assert.Contains(advice, diagnostic.GetMessage());
    }

    /// <summary>Issue #16, family 10: messages name the construct and what to write, never an enum name or a placeholder.</summary>
    [Theory]
    [InlineData("unsafe { byte* p = (byte*)skb.Length; return (TcAction)p[12]; }", "p[12]", "ctx.TryRead<T>")]
    [InlineData("Buf b = default; int k = (int)skb.Length; b[k] = 1; return (TcAction)b[0];", "k", "& 31")]
    [InlineData("Buf b = default; int k = (int)skb.Length; return (TcAction)b[k % 32];", "k % 32", "(uint)")]
    // Ranges the verifier would not know either: a signed index tested only from above, a test the index is changed after
    // (a loop brings the change round), a local one of whose writes is unbounded, a helper one of whose returns is.
    [InlineData("Buf b = default; int k = (int)skb.Length; if (k < 32) b[k] = 1; return (TcAction)b[0];", "k", "& 31")]
    [InlineData("Buf b = default; uint k = skb.Length; if (k >= 32) return TcAction.Ok; for (int i = 0; i < 4; i++) { b[(int)k] = 1; k++; } return (TcAction)b[0];", "(int)k", "& 31")]
    [InlineData("Buf b = default; uint k = skb.Length & 31; if (skb.Mark == 1) k = skb.Hash; b[(int)k] = 1; return (TcAction)b[0];", "(int)k", "& 31")]
    public void Messages_say_what_the_construct_is_and_what_to_write(string body, string at, string advice)
    {
        string source = Program(body, "[InlineArray(32)] public struct Buf { private byte _e; }");
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal(at, GeneratorHarness.TextAt(diagnostic, source));
        string message = diagnostic.GetMessage();
        Assert.Contains(advice, message);
        Assert.DoesNotContain(" None ", message);
        Assert.DoesNotContain("Invalid", message);
    }

    /// <summary>Issue #16, family 4: a packet ref taken before a helper that may move the packet, used after it.</summary>
    [Theory]
    [InlineData("ref UdpHeader udp = ref ctx.GetRefOrNullRef<UdpHeader>(34);\n        if (Unsafe.IsNullRef(ref udp)) return XdpAction.Pass;\n        if (!ctx.AdjustTail(-4)) return XdpAction.Drop;\n        udp.Checksum = 0;\n        return XdpAction.Pass;",
        "udp.Checksum = 0;", "AdjustTail")]
    [InlineData("ref byte first = ref ctx.GetRefOrNullRef<byte>(0);\n        if (Unsafe.IsNullRef(ref first)) return XdpAction.Pass;\n        if (first == 1 && !ctx.AdjustHead(14)) return XdpAction.Drop;\n        return (XdpAction)first;",
        "return (XdpAction)first;", "AdjustHead")]
    public void A_packet_ref_used_after_the_packet_may_have_moved_is_reported_at_the_use(string body, string at, string helper)
    {
        string source = $$"""
            [BpfObject]
            public static partial class P
            {
                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    {{body}}
                }
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0029", diagnostic.Id);
        Assert.Equal(at, GeneratorHarness.TextAt(diagnostic, source));
        Assert.Contains(helper, diagnostic.GetMessage());
    }

    [Fact]
    public void A_csharp_error_is_left_to_the_csharp_compiler()
    {
        string source = Program("int x = (int)skb.Length + undefinedName; return (TcAction)x;");
        Assert.Empty(GeneratorHarness.Diagnostics(source));
        Assert.Contains(GeneratorHarness.Compile(GeneratorHarness.Usings + source).GetDiagnostics(), d => d.Id == "CS0103");
    }

    [Theory]
    [InlineData("ref long v = ref m.GetValueRefOrNullRef(skb.Mark);\n        return (TcAction)(int)v;", "return (TcAction)(int)v;")]
    [InlineData("ref long v = ref m.GetValueRefOrNullRef(skb.Mark);\n        if (skb.Length > 10 && Unsafe.IsNullRef(ref v)) return TcAction.Ok;\n        v += 1;\n        return TcAction.Pipe;", "v += 1;")]
    [InlineData("ref Ipv4Header ip = ref skb.GetRefOrNullRef<Ipv4Header>(14);\n        ip.Ttl = 1;\n        return TcAction.Ok;", "ip.Ttl = 1;")]
    [InlineData("ref long v = ref Unsafe.NullRef<long>();\n        v += 1;\n        return TcAction.Pipe;", "v += 1;")]
    public void A_ref_used_before_its_null_check_is_reported_at_the_use(string body, string at)
    {
        string source = Program(body, "static readonly BpfArray<long> m = new(maxEntries: 4);");
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0015", diagnostic.Id);
        Assert.Equal(at, GeneratorHarness.TextAt(diagnostic, source));
    }

    [Theory]
    [InlineData("ref long v = ref m.GetValueRefOrNullRef(0);\n        if (Unsafe.IsNullRef(ref v)) return TcAction.Ok;\n        v += 1;\n        return TcAction.Pipe;")]
    [InlineData("ref long v = ref m.GetValueRefOrNullRef(0);\n        if (!Unsafe.IsNullRef(ref v)) Interlocked.Increment(ref v);\n        return TcAction.Pipe;")]
    [InlineData("ref Ipv4Header ip = ref skb.GetRefOrNullRef<Ipv4Header>(14);\n        if (Unsafe.IsNullRef(ref ip) || ip.Ttl < 2) return TcAction.Ok;\n        ip.Ttl = 1;\n        return TcAction.Pipe;")]
    public void A_ref_checked_on_every_path_is_not_reported(string body)
    {
        Assert.Empty(GeneratorHarness.Diagnostics(Program(body, "static readonly BpfArray<long> m = new(maxEntries: 4);")));
    }

    [Fact]
    public void A_helper_the_program_kind_may_not_call_is_reported()
    {
        string source = """
            [BpfObject]
            public static partial class P
            {
                [SocketFilter]
                public static uint Run(SkBuff skb)
                {
                    Mark(skb);
                    return skb.Length;
                }

                static void Mark(SkBuff skb) => skb.TryStore(0, (byte)1);
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0016", diagnostic.Id);
        Assert.Contains("SkBuff.TryStore (bpf_skb_store_bytes)", diagnostic.GetMessage());
        Assert.Contains("'Mark' is called from the SocketFilter program 'Run'", diagnostic.GetMessage());
        Assert.Equal("static void Mark(SkBuff skb) => skb.TryStore(0, (byte)1);", GeneratorHarness.TextAt(diagnostic, source));
    }

    [Fact]
    public void A_tracing_helper_in_a_network_program_is_reported_with_its_name()
    {
        string source = Program("Bpf.ProbeReadUser(0UL, out ulong value); return (TcAction)(int)value;");
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0016", diagnostic.Id);
        Assert.Contains("Bpf.ProbeReadUser (bpf_probe_read_user)", diagnostic.GetMessage());
    }

    [Fact]
    public void A_tracing_program_with_the_wrong_context_names_the_one_it_takes()
    {
        string source = """
            [BpfObject]
            public static partial class P
            {
                [Kprobe("do_sys_openat2")]
                public static int Open(SkBuff skb) => 0;
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0008", diagnostic.Id);
        Assert.Contains("must be public static, take PtRegs and return int or void", diagnostic.GetMessage());
    }

    [Fact]
    public void A_BpfLog_hole_that_is_neither_a_number_nor_text_says_why()
    {
        string source = """
            public struct Pair { public int A, B; }

            [BpfObject]
            public static partial class P
            {
                [RawTracepoint("sys_enter")]
                public static void Enter(RawTracepointContext ctx)
                {
                    var pair = new Pair { A = 1, B = 2 };
                    BpfLog.Info($"pair {pair}");
                }
            }
            """;
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(source));
        Assert.Equal("BPF0027", diagnostic.Id);
        Assert.Contains("'pair' is not an integer, bool, enum or byte [InlineArray] such as Comm", diagnostic.GetMessage());
    }

    [Fact]
    public void A_reserved_record_left_open_on_one_path_is_reported_at_that_return_and_not_when_every_path_releases_it()
    {
        string Source(string early) => Program($$"""
            ref long record = ref Events.Reserve<long>();
            if (Unsafe.IsNullRef(ref record)) return TcAction.Ok;
            record = skb.Length;
            if (skb.Mark == 0) { {{early}} return TcAction.Ok; }
            Events.Submit(ref record);
            return TcAction.Ok;
            """, "static readonly BpfRingBuffer Events = new(4096);");
        var diagnostic = Assert.Single(GeneratorHarness.Diagnostics(Source("")));
        Assert.Equal("BPF0028", diagnostic.Id);
        Assert.Equal("if (skb.Mark == 0) {  return TcAction.Ok; }", GeneratorHarness.TextAt(diagnostic, Source("")));
        int reserveLine = (GeneratorHarness.Usings + Source("")).Split('\n').ToList().FindIndex(l => l.Contains("Events.Reserve")) + 1;
        Assert.Contains($"reserved at line {reserveLine} ", diagnostic.GetMessage());
        Assert.Empty(GeneratorHarness.Diagnostics(Source("Events.Discard(ref record);")));
    }

    [Theory]
    [InlineData("Proprietary", true)]
    [InlineData("Dual MIT/GPL", false)]
    public void A_gpl_only_helper_needs_a_gpl_compatible_license(string license, bool reported)
    {
        string source = Program("Bpf.Printk($\"len {skb.Length}\"); return TcAction.Ok;").Replace("[BpfObject]", $"[BpfObject(License = \"{license}\")]");
        var diagnostics = GeneratorHarness.Diagnostics(source);
        Assert.Equal(reported, diagnostics.Any(d => d.Id == "BPF0017" && d.GetMessage().Contains(license)));
        Assert.Equal(reported ? 1 : 0, diagnostics.Length);
    }

    [Fact]
    public void Recursion_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("return (TcAction)F((int)skb.Length);", "static int F(int x) => x > 0 ? F(x - 1) : 0;"));
        Assert.Contains(diagnostics, d => d.Id == "BPF0004" && d.GetMessage().Contains("F → F"));
    }

    [Fact]
    public void Stack_over_512_bytes_along_the_call_chain_is_reported()
    {
        string members = "struct Big { public long A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z, A2, B2, C2, D2, E2, F2, G2, H2, I2, J2; }\n"
            + "static long Deep(int x) { Big big = default; big.A = x; Big other = big; other.B = x; return other.A + other.B + big.J2 + Deeper(x); }\n"
            + "static long Deeper(int x) { Big big = default; big.C = x; Big again = big; return again.C + big.A; }";
        var diagnostics = GeneratorHarness.Diagnostics(Program("return (TcAction)(int)Deep((int)skb.Length);", members));
        var stack = Assert.Single(diagnostics, d => d.Id == "BPF0003");
        Assert.Contains("largest: ", stack.GetMessage());
        Assert.Contains("big 288 B in Deep", stack.GetMessage()); // the locals that take the space, by name
        Assert.Contains("Run → Deep → Deeper", stack.GetMessage());
        // At the local whose bytes cross 512 along that chain: Deep's second 288-byte local.
        Assert.Equal("other", SourceAt(stack));
    }

    [Fact]
    public void Stack_over_512_bytes_points_at_the_local_that_crosses_the_limit()
    {
        string members = "struct Big { public long A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z, A2, B2, C2, D2, E2, F2, G2, H2, I2, J2; }";
        var diagnostics = GeneratorHarness.Diagnostics(Program("Big first = default; first.A = skb.Length; Big second = first; return (TcAction)(int)(second.A + first.B);", members));
        var stack = Assert.Single(diagnostics, d => d.Id == "BPF0003");
        Assert.Equal("second", SourceAt(stack));
    }

    [Fact]
    public void Locals_of_sibling_scopes_share_the_stack()
    {
        // Eight sibling blocks of 288 bytes each: 2,304 bytes if each had its own, 288 when they share.
        string members = "struct Big { public long A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z, A2, B2, C2, D2, E2, F2, G2, H2, I2, J2; }";
        string blocks = string.Concat(Enumerable.Range(0, 8).Select(i => $"{{ Big b{i}; b{i}.A = skb.Length + {i}; b{i}.J2 = b{i}.A; total += b{i}.J2; }} "));
        var diagnostics = GeneratorHarness.Diagnostics(Program("long total = 0; " + blocks + "return (TcAction)(int)total;", members));
        Assert.DoesNotContain(diagnostics, d => d.Id == "BPF0003");
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static string SourceAt(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    [Theory]
    [InlineData("System.ReadOnlySpan<byte> name = \"cat\"u8; return comm.Is(name) ? TcAction.Ok : TcAction.Shot;", "BPF0021", "only as the name in comm.Is")]
    [InlineData("return comm.Is(\"a-name-of-16-byt\"u8) ? TcAction.Ok : TcAction.Shot;", "BPF0001", "at most 15 bytes")]
    [InlineData("return comm == Target ? TcAction.Ok : TcAction.Shot;", null, null)]
    public void Comm_comparisons_take_a_literal_name_or_a_comm(string body, string? id, string? text)
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("Comm comm = default; comm[0] = (byte)skb.Length; " + body, "static readonly Comm Target = default;"));
        if (id == null) Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        else Assert.Contains(diagnostics, d => d.Id == id && d.GetMessage().Contains(text!));
    }

    [Theory]
    [InlineData("skb.TryRead(-2, out ushort r) ? (TcAction)r : TcAction.Ok", "-2 with a 2-byte access", "TryRead returns false")]
    [InlineData("Unsafe.IsNullRef(ref skb.GetRefOrNullRef<uint>(65533)) ? TcAction.Ok : TcAction.Shot", "65533 with a 4-byte access", "the ref is null")]
    public void A_packet_access_at_an_offset_no_packet_has_is_a_warning(string expression, string offset, string effect)
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program($"return {expression};"));
        var warning = Assert.Single(diagnostics);
        Assert.Equal(("BPF0030", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Contains(offset, warning.GetMessage());
        Assert.Contains(effect, warning.GetMessage());
    }

    [Theory]
    [InlineData("[BpfGlobalFunction] static ref long G(ref long x) => ref x;", "ref long r = ref G(ref v); r++;", "returns a ref")]
    [InlineData("public struct S { public long A; } [BpfGlobalFunction] static S G(long x) => default;", "v = G(v).A;", "returns P.S (give it an out parameter instead)")]
    [InlineData("[BpfGlobalFunction] static unsafe long G(long* p) => *p;", "", "takes 'p' of type long*")]
    public void A_global_function_the_kernel_cannot_verify_alone_is_reported(string members, string body, string problem)
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program($"long v = skb.Length; {body} return (TcAction)(int)v;", members));
        Assert.Contains(diagnostics, d => d.Id == "BPF0031" && d.GetMessage().Contains(problem));
    }

    [Fact]
    public void A_struct_global_with_a_value_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("return Target[0] == 0 ? TcAction.Ok : TcAction.Shot;", "static readonly Comm Target = Comm.From(\"cat\");"));
        Assert.Contains(diagnostics, d => d.Id == "BPF0007" && d.GetMessage().Contains("'Target'"));
    }

    [Fact]
    public void A_map_without_constant_arguments_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("ref long v = ref m.GetValueRefOrNullRef(0); return Unsafe.IsNullRef(ref v) ? TcAction.Ok : TcAction.Shot;",
            "static int size = 4; static readonly BpfArray<long> m = new(maxEntries: size);"));
        Assert.Contains(diagnostics, d => d.Id == "BPF0006");
    }

    [Fact]
    public void A_global_with_a_computed_initial_value_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("return (TcAction)Limit;", "static readonly int Limit = System.Environment.ProcessorCount;"));
        Assert.Contains(diagnostics, d => d.Id == "BPF0007");
    }

    [Fact]
    public void A_program_with_the_wrong_signature_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics("[BpfObject] public static partial class P { [Xdp] public static int Run(SkBuff skb) => 0; }");
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("BPF0008", diagnostic.Id);
        Assert.Contains("XdpContext", diagnostic.GetMessage());
    }

    [Fact]
    public void More_than_five_parameters_are_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics(Program("return (TcAction)F(1, 2, 3, 4, 5, (int)skb.Length);", "static int F(int a, int b, int c, int d, int e, int f) => a + f;"));
        Assert.Contains(diagnostics, d => d.Id == "BPF0009");
    }

    [Fact]
    public void A_class_that_is_not_static_partial_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics("[BpfObject] public class P { [Xdp] public static XdpAction Run(XdpContext ctx) => XdpAction.Pass; }");
        Assert.Equal("BPF0013", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void Valid_code_has_no_diagnostics_and_gets_a_skeleton()
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(GeneratorHarness.Usings + Program("return skb.Length > 100 ? TcAction.Shot : TcAction.Ok;")));
        var result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics);
        var source = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("public static Loaded Load()", source);
        Assert.Contains("public global::CSharpBpf.Loading.BpfProgram Run { get; }", source);
    }

    [Theory]
    [InlineData("long s = 0; for (int i = 0; i < 10_000_000; i++) s += i; return (TcAction)s;", "10,000,000 iterations", "Bpf.Range(0, 10_000_000)")]
    [InlineData("long s = 0; for (int i = 0; i <= 999_999; i += 1) s ^= i; return (TcAction)s;", "1,000,000 iterations", "Bpf.Range(0, 999_999 + 1)")]
    [InlineData("long s = 0; for (int i = 0; i < 1000; i++) for (int j = 0; j < 1000; j++) s += j; return (TcAction)s;", "1,000,000 iterations", "foreach (int j in Bpf.Range(0, 1000))")]
    [InlineData("long s = 0; for (int i = 600_000; i > 0; i--) s += i; return (TcAction)s;", "600,000 iterations", "Bpf.Range(600_000, 0)")]
    public void A_for_loop_the_verifier_cannot_walk_is_reported(string body, string count, string advice)
    {
        var error = Assert.Single(GeneratorHarness.Diagnostics(Program(body)));
        Assert.Equal("BPF0032", error.Id);
        Assert.Contains(count, error.GetMessage());
        Assert.Contains(advice, error.GetMessage());
        Assert.Equal("for", error.Location.SourceTree!.ToString().Substring(error.Location.SourceSpan.Start, 3));
    }

    [Theory]
    [InlineData("long s = 0; for (int i = 0; i < 400_000; i++) s += i; return (TcAction)s;")]
    [InlineData("long s = 0; for (int i = 0; i < 10_000_000; i++) { if (i == 3) break; s += i; } return (TcAction)s;")]
    [InlineData("long s = 0; foreach (int i in Bpf.Range(0, 10_000_000)) s += i; return (TcAction)s;")]
    [InlineData("long s = 0; for (int i = 0; i < 700; i++) for (int j = 0; j < 700; j++) { if (j == (int)skb.Length) return TcAction.Shot; } return (TcAction)s;")]
    public void A_loop_the_verifier_can_walk_or_may_leave_is_not_reported(string body)
    {
        Assert.DoesNotContain(GeneratorHarness.Diagnostics(Program(body)), d => d.Id == "BPF0032");
    }

    private const string Classify = "static int Classify(uint v) => (int)(v & 31) switch { 1 => 10, 2 => 20, 3 => 30, >= 4 and < 9 => 40, _ => 0 }; ";

    [Theory]
    // 80 calls of a method whose 40 iterations each meet Classify's 5 comparisons and the if: 80 × 40 × 6.
    [InlineData("static int Scan(uint v) { int hits = 0; for (int i = 0; i < 40; i++) { if (Classify(v + (uint)i) > 15) hits++; } return hits; }",
        "long t = 0; for (int j = 0; j < 80; j++) t += Scan(skb.Mark + (uint)j); return (TcAction)t;", "for", "19,200")]
    // The same written out in nested loops, with && on data: 64 × 40 × 7.
    [InlineData("", "long t = 0; for (int j = 0; j < 64; j++) for (int i = 0; i < 40; i++) { if (Classify(skb.Mark + (uint)(i + j)) > 15 && skb.Length > 60) t++; } return (TcAction)t;",
        "for", "17,920")]
    public void A_walk_whose_first_path_meets_too_many_tests_is_an_error_at_the_loop_or_call(string members, string body, string at, string count)
    {
        string source = Program(body, Classify + members);
        var error = Assert.Single(GeneratorHarness.Diagnostics(source), d => d.Id == "BPF0037");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(at, GeneratorHarness.TextAt(error, source));
        Assert.Contains(count, error.GetMessage());
    }

    [Theory]
    // A global function is checked once, on its own: its calls push none of its tests.
    [InlineData("[BpfGlobalFunction] public static int Scan(uint v) { int hits = 0; for (int i = 0; i < 40; i++) { if (Classify(v + (uint)i) > 15) hits++; } return hits; }",
        "long t = 0; for (int j = 0; j < 80; j++) t += Scan(skb.Mark + (uint)j); return (TcAction)t;")]
    // An open-coded iterator is checked until its states repeat, not walked.
    [InlineData("static int Scan(uint v) { int hits = 0; foreach (int i in Bpf.Range(0, 40)) { if (Classify(v + (uint)i) > 15) hits++; } return hits; }",
        "long t = 0; for (int j = 0; j < 80; j++) t += Scan(skb.Mark + (uint)j); return (TcAction)t;")]
    // Tests the verifier decides (on loop counters and constants) push nothing.
    [InlineData("", "long t = 0; for (int j = 0; j < 64; j++) for (int i = 0; i < 400; i++) { if (i % 3 == j) t++; } return (TcAction)t;")]
    public void A_walk_the_verifier_keeps_within_its_pending_tests_is_not_reported(string members, string body)
    {
        Assert.DoesNotContain(GeneratorHarness.Diagnostics(Program(body, Classify + members)), d => d.Id == "BPF0037");
    }

    private const string Scan = "static int Scan(uint v) { int hits = 0; for (int i = 0; i < 30; i++) { if (((v >> (i & 31)) & 1) != 0) hits += Classify(v + (uint)i); } return hits; } ";

    [Theory]
    // Both sides of a test on data call a method whose loop of 30 calls Classify: 80 iterations × 2 calls × 30 × (Classify + the if).
    // Linux 6.18 gives up on each of these after 1,000,000 instructions.
    [InlineData(Scan, "long t = 0; for (int j = 0; j < 80; j++) t += (skb.Mark & 1) == 0 ? Scan(skb.Mark + (uint)j) : Scan(skb.Hash); return (TcAction)t;", "for")]
    // The same loop written in the program, nested, with a switch on data around the call.
    [InlineData("", "long t = 0; for (int j = 0; j < 40; j++) for (int i = 0; i < 30; i++) { switch (skb.Mark & 3) { case 0: t += Classify(skb.Hash + (uint)i); break; " +
        "case 1: t -= Classify(skb.Mark ^ (uint)j); break; default: t ^= Classify((uint)t); break; } } return (TcAction)t;", "for")]
    // 10,000 iterations, each a test on data.
    [InlineData("", "long s = 0; for (int i = 0; i < 100; i++) for (int j = 0; j < 100; j++) s += j > (int)skb.Length ? 1 : 2; return (TcAction)s;", "for")]
    // A value compared with the counter is narrowed apart on each side, one more state each iteration: 500 × 501 / 2 walks
    // of the body (Linux 6.18 gives up; 200 iterations take it 182,979 instructions).
    [InlineData("", "long value = (long)skb.Hash; long below = 0; for (int i = 0; i < 500; i++) { if (value > i) below++; } return (TcAction)below;", "for")]
    [InlineData("static long Below(ulong value) { long below = 0; for (int i = 0; i < 500; i++) { if ((long)value >= i) below++; } return below; }",
        "return (TcAction)Below(skb.Hash);", "Below(skb.Hash)")]
    // Cast or offset by a constant, the value tested is one the verifier links to the value it keeps.
    [InlineData("", "uint value = skb.Hash; long below = 0; for (int i = 0; i < 500; i++) { if ((long)value > i) below++; } return (TcAction)below;", "for")]
    [InlineData("", "long value = (long)skb.Hash; long below = 0; for (int i = 0; i < 500; i++) { if (value + 1 > i) below++; } return (TcAction)below;", "for")]
    public void A_walk_whose_paths_hold_too_many_instructions_is_an_error_at_the_loop_or_call(string members, string body, string at)
    {
        string source = Program(body, Classify + members);
        var error = Assert.Single(GeneratorHarness.Diagnostics(source), d => d.Id == "BPF0038");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(at, GeneratorHarness.TextAt(error, source));
        Assert.Contains("1,000,000", error.GetMessage());
        Assert.Contains("[BpfGlobalFunction]", error.GetMessage());
    }

    [Theory]
    // The method checked once, on its own, as a global function.
    [InlineData("[BpfGlobalFunction] public " + Scan, "long t = 0; for (int j = 0; j < 80; j++) t += (skb.Mark & 1) == 0 ? Scan(skb.Mark + (uint)j) : Scan(skb.Hash); return (TcAction)t;")]
    // The long loop an open-coded iterator, checked until its states repeat.
    [InlineData(Scan, "long t = 0; foreach (int j in Bpf.Range(0, 80)) t += (skb.Mark & 1) == 0 ? Scan(skb.Mark + (uint)j) : Scan(skb.Hash); return (TcAction)t;")]
    // A test the verifier decides (on the counter) takes one side only.
    [InlineData(Scan, "long t = 0; for (int j = 0; j < 80; j++) t += (j & 1) == 0 ? Scan(skb.Mark + (uint)j) : Scan(skb.Hash); return (TcAction)t;")]
    // A value the verifier knows exactly: the test is decided.
    [InlineData("", "long value = 300; long below = 0; for (int i = 0; i < 500; i++) { if (value > i) below++; } return (TcAction)below;")]
    // A short loop comparing with its counter.
    [InlineData("", "long value = (long)skb.Hash; long below = 0; for (int i = 0; i < 100; i++) { if (value > i) below++; } return (TcAction)below;")]
    // Half the outer loop: both sides still checked, within the budget (Linux 6.18 checks 146,057 instructions).
    [InlineData("", "long t = 0; for (int j = 0; j < 20; j++) for (int i = 0; i < 30; i++) { switch (skb.Mark & 3) { case 0: t += Classify(skb.Hash + (uint)i); break; " +
        "case 1: t -= Classify(skb.Mark ^ (uint)j); break; default: t ^= Classify((uint)t); break; } } return (TcAction)t;")]
    public void A_walk_within_the_verifiers_instruction_budget_is_not_reported(string members, string body)
    {
        Assert.DoesNotContain(GeneratorHarness.Diagnostics(Program(body, Classify + members)), d => d.Id == "BPF0038");
    }

    [Theory]
    [InlineData("long s = 0; for (int i = 0; i < 5000; i++) { if ((long)skb.Length > i) s++; } return (TcAction)s;", "5,000 iterations")]
    [InlineData("long s = 0; for (int i = 0; i < 50; i++) for (int j = 0; j < 100; j++) s += j > (int)skb.Length ? 1 : 2; return (TcAction)s;", "5,000 iterations")]
    public void A_long_for_loop_that_branches_gets_a_warning_and_still_builds(string body, string count)
    {
        var warning = Assert.Single(GeneratorHarness.Diagnostics(Program(body)));
        Assert.Equal(("BPF0033", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Contains(count, warning.GetMessage());
        Assert.Contains("Bpf.Range(0, ", warning.GetMessage());
    }

    [Theory]
    [InlineData("long c = 0; foreach (int i in Bpf.Range(0, 10)) c++; return (TcAction)c;")]
    [InlineData("long c = 0; foreach (int i in Bpf.Range(0, 10)) { c++; if ((long)skb.Length > c) c = 0; } return (TcAction)c;")]
    [InlineData("long c = 0; foreach (int i in Bpf.Range(0, 10)) { c = i * 2; if (c == 4) return TcAction.Shot; } return (TcAction)c;")]
    [InlineData("long c = skb.Length; foreach (int i in Bpf.Range(0, 10)) { c--; if (c == 4) return TcAction.Shot; } return (TcAction)c;")]
    public void An_iterator_loop_that_converges_is_not_reported(string body)
    {
        Assert.Empty(GeneratorHarness.Diagnostics(Program(body)));
    }

    [Fact]
    public void An_async_program_is_reported()
    {
        var diagnostics = GeneratorHarness.Diagnostics("[BpfObject] public static partial class P { [Xdp] public static async System.Threading.Tasks.Task<XdpAction> Run(XdpContext ctx) { await System.Threading.Tasks.Task.Yield(); return XdpAction.Pass; } }");
        Assert.Contains(diagnostics, d => d.Id is "BPF0026" or "BPF0008");
    }

    /// <summary>Issue #15: every help link is the repository's URL (as the packages declare it) plus the path of a page
    /// that is in the repository, and the package carries the pages too.</summary>
    [Fact]
    public void Every_diagnostic_links_to_a_help_page_in_the_repository()
    {
        var props = System.Xml.Linq.XDocument.Load(System.IO.Path.Combine(Testing.RepositoryPaths.Root, "Directory.Build.props"));
        string repository = props.Descendants("RepositoryUrl").Single().Value;
        var descriptors = new CSharpBpf.Analyzers.BpfObjectAnalyzer().SupportedDiagnostics;
        Assert.True(descriptors.Length >= 24);
        foreach (var descriptor in descriptors)
        {
            string page = $"docs/diagnostics/{descriptor.Id}.md";
            Assert.Equal($"{repository}/blob/main/{page}", descriptor.HelpLinkUri);
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(Testing.RepositoryPaths.Root, page)), $"{page} is missing");
        }
        var csproj = System.IO.File.ReadAllText(System.IO.Path.Combine(Testing.RepositoryPaths.Root, "src", "CSharpBpf", "CSharpBpf.csproj"));
        Assert.Contains(@"docs\diagnostics\*.md", csproj);
    }
}
