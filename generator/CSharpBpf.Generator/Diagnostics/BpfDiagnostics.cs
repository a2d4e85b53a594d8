using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Diagnostics
{
    /// <summary>Every diagnostic the front end and checks report. Each message says what to write
    /// instead; each ID has a page in docs/diagnostics/.</summary>
    public static class BpfDiagnostics
    {
        private const string Category = "CSharpBpf";
        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
                helpLinkUri: $"https://github.com/csharpbpf/csharpbpf/blob/main/docs/diagnostics/{id}.md");

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
                helpLinkUri: $"https://github.com/csharpbpf/csharpbpf/blob/main/docs/diagnostics/{id}.md");

        /// <summary>BPF0001: a construct outside the eBPF subset.</summary>
        public static readonly DiagnosticDescriptor Unsupported = Error("BPF0001", "Construct not supported in eBPF",
            "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0002: a loop without a provable bound.</summary>
        public static readonly DiagnosticDescriptor UnboundedLoop = Error("BPF0002", "Loop without a provable bound",
            "The verifier needs a bound for this loop: use a counter compared with a constant and stepped by a constant, e.g. for (int i = 0; i < 16; i++), and do not assign the counter in the body");
        /// <summary>BPF0003: the stack of a call chain exceeds 512 bytes.</summary>
        public static readonly DiagnosticDescriptor StackTooLarge = Error("BPF0003", "Stack over 512 bytes",
            "'{0}' needs {1} bytes of stack along the call chain {2} ({3}); the kernel allows 512: keep large values in a per-CPU array map and work on them by ref");
        /// <summary>BPF0004: recursion.</summary>
        public static readonly DiagnosticDescriptor Recursion = Error("BPF0004", "Recursion",
            "'{0}' calls itself through {1}; eBPF forbids recursion: rewrite it as a bounded loop");
        /// <summary>BPF0005: a type with no eBPF representation.</summary>
        public static readonly DiagnosticDescriptor UnsupportedType = Error("BPF0005", "Type not supported in eBPF",
            "Type '{0}' cannot be used in eBPF: use integers, bool, enums, pointers or unmanaged structs of them");
        /// <summary>BPF0006: a map field the compiler cannot read.</summary>
        public static readonly DiagnosticDescriptor MapDeclaration = Error("BPF0006", "Map declaration",
            "Map '{0}' must be a static readonly field created with constant arguments, e.g. = new(maxEntries: 1024)");
        /// <summary>BPF0007: a global whose initial value is not a constant.</summary>
        public static readonly DiagnosticDescriptor GlobalInitializer = Error("BPF0007", "Global variable initializer",
            "Static field '{0}' must be initialized with a constant, or a struct with default (or not at all): its bytes are written into the object; set other values before load");
        /// <summary>BPF0008: a program method with the wrong signature.</summary>
        public static readonly DiagnosticDescriptor ProgramSignature = Error("BPF0008", "Program signature",
            "[{0}] method '{1}' must be public static, take {2} and return {3}");
        /// <summary>BPF0009: more than five parameters.</summary>
        public static readonly DiagnosticDescriptor TooManyArguments = Error("BPF0009", "More than 5 arguments",
            "'{0}' has {1} parameters; eBPF functions take at most 5: pass a struct by ref instead");
        /// <summary>BPF0010: division by a value that is not a constant.</summary>
        public static readonly DiagnosticDescriptor VariableDivisor = Error("BPF0010", "Division by a variable",
            "Division by a value that is not a constant: in eBPF x / 0 is 0 where .NET throws; divide by a nonzero constant");
        /// <summary>BPF0011: Bpf.Printk with something other than an interpolated string of up to 3 integer holes.</summary>
        public static readonly DiagnosticDescriptor PrintkFormat = Error("BPF0011", "Bpf.Printk format",
            "Bpf.Printk takes an interpolated string with at most 3 integer or bool holes, e.g. Bpf.Printk($\"drop {{ip.SourceAddress}}\"): {0}");
        /// <summary>BPF0012: a program larger than the kernel accepts.</summary>
        public static readonly DiagnosticDescriptor TooManyInstructions = Error("BPF0012", "Program too large",
            "'{0}' compiles to {1} instructions; the kernel accepts at most 1,000,000: split it with tail calls");
        /// <summary>BPF0013: a [BpfObject] class that is not static partial.</summary>
        public static readonly DiagnosticDescriptor ObjectDeclaration = Error("BPF0013", "BpfObject declaration",
            "[BpfObject] class '{0}' must be declared 'static partial' so the generator can add its loader");
    
        /// <summary>BPF0014: the compiler failed on code it should handle.</summary>
        public static readonly DiagnosticDescriptor InternalError = Error("BPF0014", "Internal compiler error",
            "The compiler failed on '{0}': {1}. This is a bug in CSharpBpf: please report it with this method");

        /// <summary>BPF0015: memory read or written through a ref that may be null.</summary>
        public static readonly DiagnosticDescriptor NullableAccess = Error("BPF0015", "Map value or packet ref used before its null check",
            "This reads or writes through a ref that is null when the lookup found nothing (or the packet is too short); the verifier refuses it: test it first with if (Unsafe.IsNullRef(ref value)) return …;");

        /// <summary>BPF0016: a helper the program kind may not call.</summary>
        public static readonly DiagnosticDescriptor HelperNotAllowed = Error("BPF0016", "Helper not allowed in this program kind",
            "{0} programs cannot call {1}; the verifier refuses it: {2}");

        /// <summary>BPF0017: a GPL-only helper under a license that is not GPL-compatible.</summary>
        public static readonly DiagnosticDescriptor GplOnlyHelper = Error("BPF0017", "GPL-only helper under a non-GPL license",
            "'{0}' calls {1}, which the kernel gives only to GPL-compatible programs, but the object's license is \"{2}\": use [BpfObject(License = \"GPL\")] (or \"Dual MIT/GPL\", …) or remove the call");

        /// <summary>BPF0020: allocation (classes, arrays).</summary>
        public static readonly DiagnosticDescriptor Allocation = Error("BPF0020", "Allocation in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0021: strings outside Bpf.Printk.</summary>
        public static readonly DiagnosticDescriptor Strings = Error("BPF0021", "String in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0022: throw, try, catch, finally, using.</summary>
        public static readonly DiagnosticDescriptor Exceptions = Error("BPF0022", "Exceptions in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0023: virtual, interface and delegate calls.</summary>
        public static readonly DiagnosticDescriptor IndirectCall = Error("BPF0023", "Indirect call in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0024: lambdas and LINQ.</summary>
        public static readonly DiagnosticDescriptor Lambda = Error("BPF0024", "Lambda or LINQ in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0025: floating point.</summary>
        public static readonly DiagnosticDescriptor FloatingPoint = Error("BPF0025", "Floating point in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0026: async methods.</summary>
        public static readonly DiagnosticDescriptor Async = Error("BPF0026", "Async in eBPF", "{0} cannot run in eBPF: {1}");
        /// <summary>BPF0027: a BpfLog message the compiler cannot split into template and values.</summary>
        public static readonly DiagnosticDescriptor LogFormat = Error("BPF0027", "BpfLog message",
            "BpfLog takes an interpolated string with at most 4 holes that are integers, bools, enums or byte [InlineArray] text, e.g. BpfLog.Info($\"{{comm}} opened {{fd}}\"): {0}");
        /// <summary>BPF0028: a ring-buffer record some path neither submits nor discards.</summary>
        public static readonly DiagnosticDescriptor UnreleasedRecord = Error("BPF0028", "Ring buffer record not released",
            "The ring-buffer record reserved at line {0} is neither submitted nor discarded on the path to this return; the verifier refuses it (\"Unreleased reference\"): call Submit(ref record) or Discard(ref record) before returning");
        /// <summary>BPF0029: a packet pointer used after a helper that may move the packet.</summary>
        public static readonly DiagnosticDescriptor StalePacketReference = Error("BPF0029", "Packet reference used after the packet may have moved",
            "This uses a ref into the packet taken before {0}, which may move or resize the packet; the verifier refuses it (\"invalid mem access 'scalar'\"): take the ref again (GetRefOrNullRef or TryRead) after the call");
        /// <summary>BPF0030: a packet access at a constant offset no packet has (it always fails, as in .NET).</summary>
        public static readonly DiagnosticDescriptor PacketAccessAlwaysFails = Warning("BPF0030", "Packet access that always fails",
            "Packet offset {0} with a {1}-byte access reaches outside bytes 0…65535, so this access always fails ({2}), in the kernel as in .NET: count the offset from the start of the packet");
        /// <summary>BPF0031: a [BpfGlobalFunction] whose signature the kernel cannot verify on its own.</summary>
        public static readonly DiagnosticDescriptor GlobalFunctionSignature = Error("BPF0031", "Global function signature",
            "[BpfGlobalFunction] '{0}' {1}: the kernel verifies a global function from its parameter types alone, so it takes integers, enums, bools, refs or structs (non-null memory) and the XDP or tc context, and returns an integer, enum, bool or nothing");

        /// <summary>BPF0032: a for loop the verifier cannot walk within its budget.</summary>
        public static readonly DiagnosticDescriptor LoopTooLongToVerify = Error("BPF0032", "Loop too long for the verifier to walk",
            "The verifier walks every iteration of a for loop: {0} iterations of at least 2 instructions each exceed its budget of 1,000,000; write foreach (int {1} in Bpf.Range({2}, {3})), which it checks once whatever the count (Linux 6.4+)");
        /// <summary>BPF0034: what a classic BPF (seccomp) filter cannot express.</summary>
        public static readonly DiagnosticDescriptor NotClassic = Error("BPF0034", "Not expressible in classic BPF",
            "{0} cannot be part of a seccomp filter: {1}");
        /// <summary>BPF0035: a ctx.Matches expression the filter compiler refuses.</summary>
        public static readonly DiagnosticDescriptor FilterExpression = Error("BPF0035", "Invalid filter expression",
            "\"{0}\" is not a filter expression ctx.Matches can test: {1}");
        /// <summary>BPF0033: a long for loop that branches, whose paths the verifier may run out of budget following.</summary>
        public static readonly DiagnosticDescriptor BranchyLoopMayExhaustVerifier = Warning("BPF0033", "Long loop that branches",
            "The verifier walks each of this loop's {0} iterations and every path through its body; a loop this long that branches usually exceeds its budget (\"BPF program is too large\", \"The sequence of 8193 jumps is too complex\"): write foreach (int {1} in Bpf.Range({2}, {3})), which it checks once");

        /// <summary>BPF0037: a program whose first path through the verifier meets more tests than it can keep pending.</summary>
        public static readonly DiagnosticDescriptor WalkTooLong = Error("BPF0037", "Too many tests along the verifier's walk",
            "The verifier follows one path through '{0}' first and keeps the other side of each test it cannot decide for later, at most 8,192 (\"The sequence of 8193 jumps is too complex\"); counting each iteration of a for loop and each call of the object's methods, that path meets up to {1} such tests: write the long loop as foreach (int i in Bpf.Range(from, to)), which it checks once, or make the method called in it a [BpfGlobalFunction], which it checks once on its own");

        /// <summary>BPF0038: a program whose paths, counted with their loops and calls, likely exceed the verifier's instruction budget.</summary>
        public static readonly DiagnosticDescriptor WalkTooLarge = Error("BPF0038", "Too many instructions along the verifier's walk",
            "The verifier checks every path through '{0}' and gives up after 1,000,000 instructions (\"BPF program is too large\"); counting both sides of each test on data, each iteration of a for loop and each call of the object's methods, its paths hold about {1} instructions, which a verifier that cannot merge the states of different iterations multiplies several times over: write the long loop as foreach (int i in Bpf.Range(from, to)), which it checks once, or make the method called in it a [BpfGlobalFunction], which it checks once on its own");

        /// <summary>BPF0036: what the kernel named by &lt;BpfTargetKernel&gt; cannot load.</summary>
        public static readonly DiagnosticDescriptor NotOnTargetKernel = Error("BPF0036", "Not available on the target kernel",
            "{0} needs Linux {1} or later, and the target kernel (<BpfTargetKernel>) is {2}: {3}");

        /// <summary>Every descriptor, for looking one up by ID.</summary>
        public static readonly System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> All = System.Collections.Immutable.ImmutableArray.Create(
            Unsupported, UnboundedLoop, StackTooLarge, Recursion, UnsupportedType, MapDeclaration, GlobalInitializer,
            ProgramSignature, TooManyArguments, VariableDivisor, PrintkFormat, TooManyInstructions, ObjectDeclaration, InternalError, NullableAccess, HelperNotAllowed, GplOnlyHelper,
            Allocation, Strings, Exceptions, IndirectCall, Lambda, FloatingPoint, Async, LogFormat, UnreleasedRecord, StalePacketReference,
            PacketAccessAlwaysFails, GlobalFunctionSignature, LoopTooLongToVerify, BranchyLoopMayExhaustVerifier, NotClassic, FilterExpression, NotOnTargetKernel, WalkTooLong, WalkTooLarge);
    }
}
