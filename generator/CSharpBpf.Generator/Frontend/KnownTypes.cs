using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The CSharpBpf and BCL types the front end recognises, resolved once per compilation.</summary>
    internal sealed class KnownTypes
    {
        public KnownTypes(Compilation compilation)
        {
            INamedTypeSymbol? Get(string name) => compilation.GetTypeByMetadataName(name);
            XdpContext = Get("CSharpBpf.XdpContext");
            SkBuff = Get("CSharpBpf.SkBuff");
            TracepointContext = Get("CSharpBpf.TracepointContext`1");
            UntypedTracepointContext = Get("CSharpBpf.TracepointContext");
            RawTracepointContext = Get("CSharpBpf.RawTracepointContext");
            PtRegs = Get("CSharpBpf.PtRegs");
            UsdtContext = Get("CSharpBpf.UsdtContext");
            TracingContext = Get("CSharpBpf.TracingContext`1");
            BpfLog = Get("CSharpBpf.BpfLog");
            Bpf = Get("CSharpBpf.Bpf");
            Unsafe = Get("System.Runtime.CompilerServices.Unsafe");
            Interlocked = Get("System.Threading.Interlocked");
            BinaryPrimitives = Get("System.Buffers.Binary.BinaryPrimitives");
            Comm = Get("CSharpBpf.Comm");
            BpfRange = Get("CSharpBpf.BpfRange");
            BpfRangeEnumerator = Get("CSharpBpf.BpfRange+Enumerator");
            SeccompData = Get("CSharpBpf.SeccompData");
            SeccompAction = Get("CSharpBpf.SeccompAction");
            Syscall = Get("CSharpBpf.Syscall");
            Int32 = compilation.GetSpecialType(SpecialType.System_Int32);
            UInt32 = compilation.GetSpecialType(SpecialType.System_UInt32);
            Int64 = compilation.GetSpecialType(SpecialType.System_Int64);
            UInt64 = compilation.GetSpecialType(SpecialType.System_UInt64);
            Boolean = compilation.GetSpecialType(SpecialType.System_Boolean);
            Byte = compilation.GetSpecialType(SpecialType.System_Byte);
        }

        public INamedTypeSymbol? XdpContext { get; }
        public INamedTypeSymbol? SkBuff { get; }
        public INamedTypeSymbol? TracepointContext { get; }
        public INamedTypeSymbol? UntypedTracepointContext { get; }
        public INamedTypeSymbol? RawTracepointContext { get; }
        public INamedTypeSymbol? PtRegs { get; }
        public INamedTypeSymbol? UsdtContext { get; }
        public INamedTypeSymbol? TracingContext { get; }
        public INamedTypeSymbol? BpfLog { get; }
        public INamedTypeSymbol? Bpf { get; }
        public INamedTypeSymbol? Unsafe { get; }
        public INamedTypeSymbol? Interlocked { get; }
        public INamedTypeSymbol? BinaryPrimitives { get; }
        public INamedTypeSymbol? Comm { get; }
        public INamedTypeSymbol? BpfRange { get; }
        public INamedTypeSymbol? BpfRangeEnumerator { get; }
        public INamedTypeSymbol? SeccompData { get; }
        public INamedTypeSymbol? SeccompAction { get; }
        public INamedTypeSymbol? Syscall { get; }
        public INamedTypeSymbol Int32 { get; }
        public INamedTypeSymbol UInt32 { get; }
        public INamedTypeSymbol Int64 { get; }
        public INamedTypeSymbol UInt64 { get; }
        public INamedTypeSymbol Boolean { get; }
        public INamedTypeSymbol Byte { get; }

        /// <summary>A tracing program's context: tracepoint records, raw tracepoint arguments, registers, USDT sites.</summary>
        public bool IsTracingContext(ITypeSymbol type) =>
            Is(type, TracepointContext) || Is(type, UntypedTracepointContext) || Is(type, RawTracepointContext) || Is(type, PtRegs) || Is(type, UsdtContext) || Is(type, TracingContext);

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
            type != null && known != null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);
    }
}
