using System.Linq;
using System.Threading.Tasks;
using CSharpBpf.Analyzers;
using CSharpBpf.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>The analyzers and code fixes through Microsoft.CodeAnalysis.Testing, the way Roslyn's own analyzers are
/// tested: {|ID:span|} marks where each diagnostic must be, and a fix must produce exactly the expected source.</summary>
public sealed class VerifierTests
{
    // This project's framework and CSharpBpf, rather than a reference pack downloaded at test time.
    private static readonly ReferenceAssemblies References = new ReferenceAssemblies("net10.0");


    private static async Task VerifyAnalyzer(string source)
    {
        var test = new CSharpAnalyzerTest<BpfObjectAnalyzer, DefaultVerifier> { TestCode = GeneratorHarness.Usings + source, ReferenceAssemblies = References };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.Compile().References);
        await test.RunAsync();
    }

    private static async Task VerifyFix<TFix>(string source, string fixedSource) where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<BpfObjectAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = GeneratorHarness.Usings + source,
            FixedCode = GeneratorHarness.Usings + fixedSource,
            ReferenceAssemblies = References,
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.Compile().References);
        test.FixedState.AdditionalReferences.AddRange(GeneratorHarness.Compile().References);
        await test.RunAsync();
    }

    [Fact]
    public Task Null_check_is_required_and_reported_at_the_use() => VerifyAnalyzer("""
        [BpfObject]
        public static partial class P
        {
            static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                {|BPF0015:count += 1;|}
                return XdpAction.Pass;
            }
        }
        """);

    [Fact]
    public Task Checked_code_has_no_diagnostic() => VerifyAnalyzer("""
        [BpfObject]
        public static partial class P
        {
            static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                if (Unsafe.IsNullRef(ref count)) return XdpAction.Pass;
                count += 1;
                return XdpAction.Pass;
            }
        }
        """);

    [Fact]
    public Task Floating_point_has_its_own_id() => VerifyAnalyzer("""
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                double {|BPF0025:ratio = ctx.Length / 3.0|};
                return ratio > 1 ? XdpAction.Pass : XdpAction.Drop;
            }
        }
        """);

    [Fact]
    public Task Fix_inserts_the_null_check() => VerifyFix<NullCheckCodeFix>("""
        [BpfObject]
        public static partial class P
        {
            static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                {|BPF0015:count += 1;|}
                return XdpAction.Pass;
            }
        }
        """, """
        [BpfObject]
        public static partial class P
        {
            static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) return XdpAction.Pass;
                count += 1;
                return XdpAction.Pass;
            }
        }
        """);

    [Fact]
    public Task Fix_makes_the_object_static_partial() => VerifyFix<ModifierCodeFix>("""
        [BpfObject]
        public class {|BPF0013:P|}
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx) => XdpAction.Pass;
        }
        """, """
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx) => XdpAction.Pass;
        }
        """);

    [Fact]
    public Task Fix_makes_the_map_field_static_readonly() => VerifyFix<ModifierCodeFix>("""
        [BpfObject]
        public static partial class P
        {
            static BpfArray<long> {|BPF0006:slots = new(maxEntries: 4)|};

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref long slot = ref slots.GetValueRefOrNullRef(0);
                if (!Unsafe.IsNullRef(ref slot)) slot += 1;
                return XdpAction.Pass;
            }
        }
        """, """
        [BpfObject]
        public static partial class P
        {
            static readonly BpfArray<long> slots = new(maxEntries: 4);

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                ref long slot = ref slots.GetValueRefOrNullRef(0);
                if (!Unsafe.IsNullRef(ref slot)) slot += 1;
                return XdpAction.Pass;
            }
        }
        """);

    [Fact]
    public Task Fix_bounds_a_while_true_loop() => VerifyFix<BoundedLoopCodeFix>("""
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                int offset = 0;
                {|BPF0002:while|} (true)
                {
                    if (!ctx.TryRead(offset, out byte b) || b == 0) break;
                    offset++;
                }
                return offset > 10 ? XdpAction.Drop : XdpAction.Pass;
            }
        }
        """, """
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                int offset = 0;
                for (int iteration = 0; iteration < 256; iteration++)
                {
                    if (!ctx.TryRead(offset, out byte b) || b == 0) break;
                    offset++;
                }
                return offset > 10 ? XdpAction.Drop : XdpAction.Pass;
            }
        }
        """);

    [Fact]
    public Task Fix_makes_the_program_public_static() => VerifyFix<ProgramSignatureCodeFix>("""
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            internal static XdpAction {|BPF0008:Run|}(XdpContext ctx) => XdpAction.Pass;
        }
        """, """
        [BpfObject]
        public static partial class P
        {
            [Xdp]
            public static XdpAction Run(XdpContext ctx) => XdpAction.Pass;
        }
        """);
}
