using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>What the methods of one [BpfObject] class share: its maps, its global data, its
    /// read-only strings and the subprograms its methods call.</summary>
    internal sealed class ObjectScope
    {
        private readonly Dictionary<IFieldSymbol, MapDeclaration> _maps = new Dictionary<IFieldSymbol, MapDeclaration>(SymbolEqualityComparer.Default);
        private readonly Dictionary<IFieldSymbol, GlobalDeclaration> _globals = new Dictionary<IFieldSymbol, GlobalDeclaration>(SymbolEqualityComparer.Default);
        private readonly Dictionary<string, int> _strings = new Dictionary<string, int>();
        private readonly Dictionary<string, int> _sectionSizes = new Dictionary<string, int>();
        private readonly List<GlobalDeclaration> _formats = new List<GlobalDeclaration>();

        public ObjectScope(Compilation compilation, INamedTypeSymbol objectType)
        {
            Compilation = compilation;
            ObjectType = objectType;
            Known = new KnownTypes(compilation);
            var attribute = objectType.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfObjectAttribute");
            IsArm64 = attribute?.NamedArguments.FirstOrDefault(n => n.Key == "Architecture").Value.Value is 1;
            var assemblyVersion = compilation.Assembly.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfCpuVersionAttribute");
            CpuVersion = attribute?.NamedArguments.FirstOrDefault(n => n.Key == "CpuVersion").Value.Value is int own && own != 0 ? own
                : assemblyVersion?.ConstructorArguments.FirstOrDefault().Value is int project ? project : 3;
            var assemblyTarget = compilation.Assembly.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfTargetKernelAttribute");
            TargetKernelText = attribute?.NamedArguments.FirstOrDefault(n => n.Key == "TargetKernel").Value.Value as string
                ?? assemblyTarget?.ConstructorArguments.FirstOrDefault().Value as string;
            TargetKernel = Checks.KernelFeatures.Release.Parse(TargetKernelText);
        }

        /// <summary>The oldest kernel the object must load on (&lt;BpfTargetKernel&gt; or BpfObject's TargetKernel), as
        /// written, and parsed (null when unset or unreadable).</summary>
        public string? TargetKernelText { get; }
        public Checks.KernelFeatures.Release? TargetKernel { get; }

        /// <summary>The instruction set the back end may use (clang's -mcpu): 3 by default, 4 for movsx/ldsx/sdiv.</summary>
        public int CpuVersion { get; }

        /// <summary>The object's probes run on arm64 (BpfObject's Architecture), not x86-64.</summary>
        public bool IsArm64 { get; }

        public Compilation Compilation { get; }
        public INamedTypeSymbol ObjectType { get; }
        public KnownTypes Known { get; }
        public List<IMethodSymbol> Subprograms { get; } = new List<IMethodSymbol>();
        public IEnumerable<MapDeclaration> Maps => _maps.Values.Concat(_extraMaps);
        /// <summary>The object's globals: static fields, then the compiler's own (Bpf.Printk format strings, unreached targets), in .rodata/.data/.bss.</summary>
        public IEnumerable<GlobalDeclaration> Globals => _globals.Values.Concat(_formats);

        private int Allocate(string section, int size, int alignment)
        {
            int offset = _sectionSizes.TryGetValue(section, out int used) ? used : 0;
            offset = (offset + alignment - 1) / alignment * alignment;
            _sectionSizes[section] = offset + size;
            return offset;
        }

        /// <summary>The .rodata offset of a NUL-terminated string (deduplicated), for helpers that take a format.</summary>
        public int AddString(string text)
        {
            if (_strings.TryGetValue(text, out int offset)) return offset;
            var bytes = Encoding.UTF8.GetBytes(text + "\0");
            offset = Allocate(".rodata", bytes.Length, 1);
            _formats.Add(new GlobalDeclaration(null, "__fmt_" + _strings.Count, ".rodata", offset, bytes));
            _strings[text] = offset;
            return offset;
        }

        /// <summary>The .bss offset of <paramref name="bytes"/> zeroed bytes that only a way the verifier walks but that never
        /// runs points at (a ref-returning method's return when its loop state is not found: callers dereference what it returns).</summary>
        public int AddUnreachedTarget(int bytes)
        {
            int offset = Allocate(".bss", bytes, 8);
            _formats.Add(new GlobalDeclaration(null, "__csbpf_unreached_" + _formats.Count, ".bss", offset, new byte[bytes]));
            return offset;
        }

        /// <summary>Caller → callees, for the recursion and stack-depth checks.</summary>
        public Dictionary<IMethodSymbol, HashSet<IMethodSymbol>> Calls { get; } = new Dictionary<IMethodSymbol, HashSet<IMethodSymbol>>(SymbolEqualityComparer.Default);

        public void AddCall(IMethodSymbol caller, IMethodSymbol callee)
        {
            if (!Calls.TryGetValue(caller, out var callees)) Calls[caller] = callees = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            callees.Add(callee);
        }

        /// <summary>True for a [BpfGlobalFunction] method: a global BPF function the kernel verifies once, on its own.</summary>
        public static bool IsGlobalFunction(IMethodSymbol method) =>
            method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfGlobalFunctionAttribute");

        /// <summary>The kernel's name for the context struct a global function's parameter of this type points to, or null.</summary>
        public string? ContextStructOf(ITypeSymbol type) =>
            KnownTypes.Is(type, Known.XdpContext) ? "xdp_md" : KnownTypes.Is(type, Known.SkBuff) ? "__sk_buff" : null;

        public string RequestSubprogram(IMethodSymbol method)
        {
            if (!Subprograms.Contains(method, SymbolEqualityComparer.Default)) Subprograms.Add(method);
            return method.Name;
        }

        public MapDeclaration? TryGetMap(IFieldSymbol field, SyntaxNode at)
        {
            if (_maps.TryGetValue(field, out var map)) return map;
            var kind = field.Type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfMapKindAttribute");
            if (kind == null) return null;
            map = DeclareMap(field, kind, at);
            _maps[field] = map;
            return map;
        }

        private MapDeclaration DeclareMap(IFieldSymbol field, AttributeData kind, SyntaxNode at)
        {
            var declarator = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as VariableDeclaratorSyntax;
            if (!field.IsStatic || !field.IsReadOnly || declarator?.Initializer == null)
                throw CompileError.At(BpfDiagnostics.MapDeclaration, declarator ?? at, field.Name);
            var model = Compilation.GetSemanticModel(declarator.SyntaxTree);
            if (model.GetOperation(declarator.Initializer.Value) is not IObjectCreationOperation creation)
                throw CompileError.At(BpfDiagnostics.MapDeclaration, declarator, field.Name);

            int mapType = (int)kind.ConstructorArguments[0].Value!;
            uint flags = kind.NamedArguments.FirstOrDefault(n => n.Key == "Flags").Value.Value is uint f ? f : 0;
            var arguments = new Dictionary<string, long>();
            foreach (var argument in creation.Arguments)
            {
                if (!argument.Value.ConstantValue.HasValue || argument.Value.ConstantValue.Value is not (int or long))
                    throw CompileError.At(BpfDiagnostics.MapDeclaration, argument.Syntax, field.Name);
                arguments[argument.Parameter!.Name] = Constants.ToLong(argument.Value.ConstantValue.Value);
            }
            int maxEntries = arguments.TryGetValue("maxEntries", out long entries) || arguments.TryGetValue("sizeBytes", out entries) ? (int)entries : 0;
            var parameters = new long[0];

            var typeArguments = ((INamedTypeSymbol)field.Type).TypeArguments;
            ITypeSymbol? keyType = null, valueType = null;
            int keySize = 0, valueSize = 0;
            string mapClass = field.Type.OriginalDefinition.Name;
            switch (mapClass)
            {
                case "BpfArray":
                case "BpfPerCpuArray":
                    keyType = Known.UInt32;
                    valueType = typeArguments[0];
                    break;
                case "BpfProgramArray":
                case "BpfPerfEventArray":
                    keyType = Known.UInt32;
                    valueType = Known.UInt32;
                    break;
                case "BpfStackTraceMap":
                    keyType = Known.UInt32;
                    valueType = Compilation.GetTypeByMetadataName("CSharpBpf.StackTrace");
                    break;
                case "BpfLog2Histogram":
                    keyType = Known.UInt32;
                    valueType = Known.UInt64;
                    maxEntries = 65;
                    break;
                case "BpfLinearHistogram":
                {
                    keyType = Known.UInt32;
                    valueType = Known.UInt64;
                    long minimum = arguments["minimum"], maximum = arguments["maximum"], step = arguments["step"];
                    if (step <= 0 || maximum <= minimum || (maximum - minimum) % step != 0 || (maximum - minimum) / step > 10_000)
                        throw CompileError.Unsupported(declarator, $"the histogram bounds ({minimum}, {maximum}, {step})",
                            "use minimum < maximum and a positive step that divides maximum - minimum into at most 10000 buckets");
                    parameters = new[] { minimum, maximum, step };
                    maxEntries = (int)((maximum - minimum) / step) + 2;
                    break;
                }
                case "BpfKeyedHistogram":
                    keyType = Compilation.GetTypeByMetadataName("CSharpBpf.Aggregation.HistogramKey`1")!.Construct(typeArguments[0]);
                    valueType = Known.UInt64;
                    break;
                case "BpfStatistics":
                    keyType = typeArguments[0];
                    valueType = Compilation.GetTypeByMetadataName("CSharpBpf.Aggregation.AggregateStatistics");
                    break;
                case "BpfLpmTrie":
                    keyType = Compilation.GetTypeByMetadataName("CSharpBpf.LpmKey`1")!.Construct(typeArguments[0]);
                    valueType = typeArguments[1];
                    break;
                default:
                    if (typeArguments.Length == 2)
                    {
                        keyType = typeArguments[0];
                        valueType = typeArguments[1];
                    }
                    break;
            }
            if (keyType != null) keySize = TypeLayout.SizeOf(keyType, declarator);
            if (valueType != null) valueSize = TypeLayout.SizeOf(valueType, declarator);
            return new MapDeclaration(field, field.Name, mapType, keyType, valueType, keySize, valueSize, maxEntries, flags, mapClass, parameters);
        }

        private readonly List<MapDeclaration> _extraMaps = new List<MapDeclaration>();

        /// <summary>The ring buffer BpfLog records go through: null until a BpfLog call declares it.</summary>
        public MapDeclaration? LogMap { get; private set; }

        /// <summary>The log emitters (by number of values) BpfLog calls use, and the first call, whose line they carry.</summary>
        public SortedSet<int> LogEmitters { get; } = new SortedSet<int>();

        /// <summary>A tcpdump expression a program tests with ctx.Matches: the subprogram the classic program was translated to,
        /// and the first call's location (its line is the function's line info).</summary>
        public sealed record PacketFilterFunction(string Name, IReadOnlyList<Bytecode.Isa.Instruction> Code, Location Location);

        /// <summary>The packet filters the programs call, in the order first asked for.</summary>
        public List<PacketFilterFunction> PacketFilters { get; } = new List<PacketFilterFunction>();
        private readonly Dictionary<(string, Bytecode.Classic.ClassicTranslationContext), string> _packetFilterNames = new Dictionary<(string, Bytecode.Classic.ClassicTranslationContext), string>();

        /// <summary>The subprogram that tests <paramref name="expression"/> on the packet of <paramref name="context"/>: compiled to
        /// classic BPF as libpcap would, then translated to eBPF over direct packet access; one per expression and context.</summary>
        /// <exception cref="Bytecode.Classic.Filters.PacketFilterException">The expression is malformed.</exception>
        /// <exception cref="NotSupportedException">It needs socket-buffer state the program cannot read.</exception>
        public string RequestPacketFilter(string expression, Bytecode.Classic.ClassicTranslationContext context, Location location)
        {
            if (_packetFilterNames.TryGetValue((expression, context), out var name)) return name;
            var program = Bytecode.Classic.Filters.PacketFilterCompiler.Compile(expression);
            var code = Bytecode.Classic.ClassicTranslator.ToFunction(program, context);
            name = "__packet_filter_" + PacketFilters.Count;
            PacketFilters.Add(new PacketFilterFunction(name, code, location));
            _packetFilterNames[(expression, context)] = name;
            return name;
        }
        public SyntaxNode? FirstLogCall { get; private set; }

        public void RequestLogEmitter(int values, SyntaxNode call)
        {
            RequestLogMap();
            LogEmitters.Add(values);
            FirstLogCall ??= call;
        }

        public MapDeclaration RequestLogMap()
        {
            if (LogMap == null)
            {
                LogMap = new MapDeclaration(null, "__bpf_log", 27, null, null, 0, 0, 256 * 1024, 0, "BpfLog", new long[0]);
                _extraMaps.Add(LogMap);
            }
            return LogMap;
        }

        /// <summary>The per-CPU array whose one element holds the variables loops carry from one iteration to the next
        /// (foreach over Bpf.Range, long for loops: CarriedLoops): the verifier does not track what map memory holds, so such a variable reads back as a
        /// value it knows nothing exact about, and the loop converges (see MethodLowerer.Iterators). Null until a loop needs it.</summary>
        public MapDeclaration? LoopStateMap { get; private set; }

        /// <summary>The class name the skeleton leaves out: the map is the compiler's, not the user's.</summary>
        public const string LoopStateClass = "LoopState";

        /// <summary>Reserves <paramref name="bytes"/> of the loop-state element (each method's loops get their own bytes,
        /// so a program that interrupts another on the same CPU cannot clobber them) and returns their offset.</summary>
        public int ReserveLoopState(int bytes)
        {
            int offset = LoopStateSize;
            LoopStateSize += bytes;
            if (LoopStateMap == null)
            {
                LoopStateMap = new MapDeclaration(null, "__csbpf_loop_state", 6, Compilation.GetSpecialType(SpecialType.System_UInt32), null, 4, 0, 1, 0, LoopStateClass, new long[0]);
                _extraMaps.Add(LoopStateMap);
            }
            return offset;
        }

        /// <summary>The class names the skeleton leaves out for the two USDT maps.</summary>
        public const string UsdtSpecsClass = "UsdtSpecs", UsdtSitesClass = "UsdtSites";

        /// <summary>The array of USDT argument specs the loader fills for a [Usdt] program's sites (and, beside it, libbpf's
        /// site-to-spec hash, so libbpf attaches the object too): see Bytecode.Usdt.UsdtSpecLayout. Declared on first use.</summary>
        public MapDeclaration RequestUsdtSpecs()
        {
            if (UsdtSpecs == null)
            {
                UsdtSpecs = new MapDeclaration(null, Bytecode.Usdt.UsdtSpecLayout.SpecsMap, 2, Compilation.GetSpecialType(SpecialType.System_Int32), null, 4,
                    Bytecode.Usdt.UsdtSpecLayout.Size, Bytecode.Usdt.UsdtSpecLayout.MaxSpecs, 0, UsdtSpecsClass, new long[0]);
                _extraMaps.Add(UsdtSpecs);
                _extraMaps.Add(new MapDeclaration(null, Bytecode.Usdt.UsdtSpecLayout.IpToSpecMap, 1, Compilation.GetSpecialType(SpecialType.System_Int64),
                    Compilation.GetSpecialType(SpecialType.System_UInt32), 8, 4, Bytecode.Usdt.UsdtSpecLayout.MaxSites, 0, UsdtSitesClass, new long[0]));
            }
            return UsdtSpecs;
        }

        /// <summary>The USDT spec array, or null until a program reads a USDT argument.</summary>
        public MapDeclaration? UsdtSpecs { get; private set; }

        /// <summary>Bytes of the loop-state element reserved so far.</summary>
        public int LoopStateSize { get; private set; }

        /// <summary>Every BpfLog call lowered so far, numbered by its place in this list.</summary>
        public List<LogSite> LogSites { get; } = new List<LogSite>();

        /// <summary>A static field in global data: readonly → .rodata (set before load), otherwise .data,
        /// or .bss when it starts at zero.</summary>
        public GlobalDeclaration GetGlobal(IFieldSymbol field, SyntaxNode at)
        {
            if (_globals.TryGetValue(field, out var global)) return global;
            int size = TypeLayout.SizeOf(field.Type, at);
            long value = 0;
            var declarator = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as VariableDeclaratorSyntax;
            if (declarator?.Initializer != null)
            {
                var model = Compilation.GetSemanticModel(declarator.SyntaxTree);
                // A struct global (a Comm to compare with, settings) has no constant form: it starts as zeroes, set before load.
                if (!TypeLayout.IsScalar(field.Type))
                {
                    if (model.GetOperation(declarator.Initializer.Value) is not { } initial || !MethodLowerer.IsZeroStruct(initial))
                        throw CompileError.At(BpfDiagnostics.GlobalInitializer, declarator, field.Name);
                }
                else
                {
                    var constant = model.GetConstantValue(declarator.Initializer.Value);
                    if (!constant.HasValue) throw CompileError.At(BpfDiagnostics.GlobalInitializer, declarator, field.Name);
                    value = Constants.ToLong(constant.Value);
                }
            }
            string section = field.IsReadOnly ? ".rodata" : value != 0 ? ".data" : ".bss";
            int offset = Allocate(section, size, TypeLayout.IsScalar(field.Type) ? size : TypeLayout.StackAlignment(field.Type, at));
            var bytes = new byte[size];
            for (int i = 0; i < size; i++) bytes[i] = (byte)(value >> (8 * i));
            global = new GlobalDeclaration(field, field.Name, section, offset, bytes);
            _globals[field] = global;
            return global;
        }
    }
}
