using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Generator.Backend;
using CSharpBpf.Generator.Checks;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Frontend;
using CSharpBpf.Generator.Ir;
using CSharpBpf.Generator.Model;
using CSharpBpf.Generator.Output;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CSharpBpf.Generator
{
    /// <summary>
    /// Compiles one [BpfObject] class: front end (methods → IR), checks (loop bounds, recursion,
    /// stack), back end (IR → instructions), object (ELF with BTF and line info). The result is an
    /// equatable <see cref="ObjectModel"/>; every problem is a diagnostic in it.
    /// </summary>
    internal static class ObjectCompiler
    {
        /// <summary>The kernel's limit on instructions per program.</summary>
        public const int InstructionLimit = 1_000_000;

        /// <summary>The diagnostics of compiling <paramref name="type"/>, with their real locations: what the analyzers report.</summary>
        internal static IReadOnlyList<Diagnostic> Diagnose(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken) =>
            new Run(type, compilation, cancellationToken).Execute(buildSpec: false).Diagnostics;

        /// <summary>The object built without the verifier-rule checks (loop bounds, stack, recursion, null checks, helpers):
        /// only for the fidelity test, which shows the kernel refuses what those checks flag.</summary>
        internal static byte[] CompileWithoutVerifierChecks(INamedTypeSymbol type, Compilation compilation)
        {
            var result = new Run(type, compilation, CancellationToken.None, verifierChecks: false).Execute();
            return result.Spec == null ? Array.Empty<byte>() : ElfObjectWriter.Write(result.Spec);
        }

        internal static ObjectModel Compile(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
        {
            var run = new Run(type, compilation, cancellationToken);
            var result = run.Execute();
            var bytes = result.Spec == null ? Array.Empty<byte>() : ElfObjectWriter.Write(result.Spec);
            return new ObjectModel(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                type.Name + ".bpf.o",
                bytes,
                run.Programs.ToArray(),
                run.Scope.Maps.Select(m => new MapModel(m.Name, m.MapType, HandleKeyType(m)?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    m.ValueType?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), m.Class, m.Parameters)).ToArray(),
                run.Scope.Globals.Where(g => g.Field != null && g.Section == ".rodata")
                    .Select(g => new ConstantModel(g.Name, g.Field!.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), g.Offset, g.InitialValue.Length, ReadLittleEndian(g.InitialValue))).ToArray(),
                run.Scope.LogSites.Select(l => new LogSiteModel(l.Level, l.Template, l.Values.Select(v => new LogValueModel(v.Kind, v.Size)).ToArray(), l.Source)).ToArray(),
                run.SeccompFilters.ToArray());
        }

        /// <summary>The key type the skeleton's handle is generic over: the map's key, except a keyed histogram's, whose
        /// map key pairs the user's key with a slot.</summary>
        private static ITypeSymbol? HandleKeyType(MapDeclaration map) =>
            map.Class == "BpfKeyedHistogram" ? ((INamedTypeSymbol)map.KeyType!).TypeArguments[0] : map.KeyType;

        private static long ReadLittleEndian(byte[] bytes)
        {
            long value = 0;
            for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
            return value;
        }

        private sealed class Run
        {
            private readonly INamedTypeSymbol _type;
            private readonly Compilation _compilation;
            private readonly CancellationToken _cancellationToken;
            private readonly List<Diagnostic> _diagnostics = new List<Diagnostic>();
            private readonly List<BpfFunctionSpec> _functions = new List<BpfFunctionSpec>();
            private readonly List<LineInfo> _lines = new List<LineInfo>();
            private readonly List<(string Section, int Offset, CoreSite Site)> _coreSites = new List<(string, int, CoreSite)>();
            private readonly Dictionary<IMethodSymbol, int> _frames = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
            private readonly Dictionary<IMethodSymbol, List<StackUser>> _stackUsers = new Dictionary<IMethodSymbol, List<StackUser>>(SymbolEqualityComparer.Default);
            private readonly Dictionary<IMethodSymbol, List<(int Helper, string? KernelFunction, Location Location)>> _helperCalls = new Dictionary<IMethodSymbol, List<(int, string?, Location)>>(SymbolEqualityComparer.Default);

            private readonly bool _verifierChecks;
            private readonly Dictionary<IMethodSymbol, int> _addedCallees = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);

            public Run(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken, bool verifierChecks = true)
            {
                _verifierChecks = verifierChecks;
                _type = type;
                _compilation = compilation;
                _cancellationToken = cancellationToken;
                Scope = new ObjectScope(compilation, type);
            }

            public ObjectScope Scope { get; }
            public List<ProgramModel> Programs { get; } = new List<ProgramModel>();
            public List<SeccompFilterModel> SeccompFilters { get; } = new List<SeccompFilterModel>();

            private bool _buildsObject = true;

            /// <summary>Runs every stage; without <paramref name="buildSpec"/> (the analyzers) it stops after the checks.</summary>
            public (BpfObjectSpec? Spec, List<Diagnostic> Diagnostics) Execute(bool buildSpec = true)
            {
                _buildsObject = buildSpec;
                var declaration = _type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken)).OfType<ClassDeclarationSyntax>().FirstOrDefault();
                if (declaration == null || !_type.IsStatic || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.ObjectDeclaration, declaration?.Identifier.GetLocation() ?? _type.Locations.FirstOrDefault(), _type.Name));
                    return (null, _diagnostics);
                }

                if (Scope.CpuVersion is not (3 or 4))
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Unsupported, declaration.Identifier.GetLocation(), $"eBPF instruction set v{Scope.CpuVersion}",
                        "set <BpfCpuVersion> (or BpfObject's CpuVersion) to 3, which every kernel since 5.1 runs, or 4 (kernel 6.6 and later)"));
                    return (null, _diagnostics);
                }

                if (Scope.TargetKernelText != null && Scope.TargetKernel == null)
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Unsupported, declaration.Identifier.GetLocation(), $"target kernel '{Scope.TargetKernelText}'",
                        "set <BpfTargetKernel> (or BpfObject's TargetKernel) to a Linux release, major.minor, such as 6.1"));
                    return (null, _diagnostics);
                }
                if (Scope.TargetKernel is { } target && KernelFeatures.InstructionSet(Scope.CpuVersion) is var isa && isa.CompareTo(target) > 0)
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.NotOnTargetKernel, declaration.Identifier.GetLocation(), $"The eBPF instruction set v{Scope.CpuVersion}",
                        isa, target, Scope.CpuVersion >= 4 ? "set <BpfCpuVersion> to 3, which every kernel since 5.1 runs" : "the compiler emits cpu v3: target Linux 5.1 or later"));

                var programs = new List<(IMethodSymbol Method, ProgramKinds.ProgramAttribute Attribute)>();
                foreach (var method in _type.GetMembers().OfType<IMethodSymbol>())
                {
                    foreach (var attribute in method.GetAttributes())
                    {
                        var program = ProgramKinds.Of(attribute);
                        if (program != null) programs.Add((method, program));
                    }
                }

                foreach (var method in _type.GetMembers().OfType<IMethodSymbol>().Where(ObjectScope.IsGlobalFunction))
                    if (GlobalSignatureProblem(method) is { } problem)
                        _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.GlobalFunctionSignature, method.Locations.FirstOrDefault(), method.Name, problem));
                foreach (var (method, program) in programs.Where(p => p.Attribute.Kind == ProgramKind.Seccomp).ToList())
                {
                    programs.Remove((method, program));
                    if (CheckSignature(method, program)) CompileSeccomp(method);
                }
                CheckTargetKernel(programs);
                foreach (var (method, program) in programs)
                {
                    if (!CheckSignature(method, program)) continue;
                    if (Lower(method, program.Section, program.Kind))
                        Programs.Add(new ProgramModel(method.Name, program.Section, (int)program.Kind));
                }
                for (int i = 0; i < Scope.Subprograms.Count; i++)
                {
                    var subprogram = Scope.Subprograms[i];
                    if (subprogram.Parameters.Length > 5)
                    {
                        _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.TooManyArguments, subprogram.Locations.FirstOrDefault(), subprogram.Name, subprogram.Parameters.Length));
                        continue;
                    }
                    if (ObjectScope.IsGlobalFunction(subprogram) && GlobalSignatureProblem(subprogram) != null) continue; // reported above
                    Lower(subprogram, ".text", null);
                }
                CheckAndEmit();
                CheckTargetKernelMaps();
                AddLogEmitters();
                AddPacketFilters();
                var walk = new VerifierWalk(_compilation, _type);
                foreach (var (method, program) in programs)
                {
                    if (!_verifierChecks) continue;
                    _diagnostics.AddRange(CallGraphCheck.Check(method, Scope.Calls, _frames, _stackUsers, _addedCallees));
                    CheckHelpers(method, program.Kind);
                    // A loop too long to walk at all (BPF0032) says more than any estimate of the walk.
                    if (!_diagnostics.Any(d => d.Id == BpfDiagnostics.LoopTooLongToVerify.Id)) _diagnostics.AddRange(walk.Check(method));
                }

                if (_diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) SeccompFilters.Clear();
                if (!buildSpec || _diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || Programs.Count == 0)
                    return (null, _diagnostics);
                return (BuildSpec(), _diagnostics);
            }

            /// <summary>BPF0036 for program kinds the target kernel lacks (maps: CheckTargetKernelMaps; helpers and kernel
            /// functions: CheckHelpers).</summary>
            private void CheckTargetKernel(List<(IMethodSymbol Method, ProgramKinds.ProgramAttribute Attribute)> programs)
            {
                if (Scope.TargetKernel is not { } target) return;
                foreach (var (method, program) in programs)
                    if (KernelFeatures.Section(program.Section) is var (since, what) && since.CompareTo(target) > 0)
                        _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.NotOnTargetKernel, method.Locations.FirstOrDefault(), $"'{method.Name}': {what}", since, target,
                            program.Section.StartsWith("tcx/", System.StringComparison.Ordinal) ? "write [TrafficControl] without a direction (tc, attached through clsact)" : "target a newer kernel, or choose another program kind"));
            }

            /// <summary>BPF0036 for the map types the target kernel lacks, among the maps the programs use.</summary>
            private void CheckTargetKernelMaps()
            {
                if (Scope.TargetKernel is not { } target) return;
                foreach (var map in Scope.Maps)
                    if (map.Field != null && KernelFeatures.Map(map.MapType) is var (since, what) && since.CompareTo(target) > 0)
                        _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.NotOnTargetKernel, map.Field.Locations.FirstOrDefault(), $"'{map.Field.Name}': {what}", since, target,
                            map.MapType == 27 ? "use a BpfPerfEventArray (Linux 4.4)" : "target a newer kernel, or choose another map"));
            }

            /// <summary>BPF0036's advice for a helper or kernel function the target kernel lacks.</summary>
            private static string OlderAlternative(int helper, string? kernelFunction) =>
                kernelFunction != null ? "write a for loop with a constant bound (the verifier walks it), or target Linux 6.4"
                : helper is HelperIds.RingbufOutput or HelperIds.RingbufReserve or HelperIds.RingbufSubmit or HelperIds.RingbufDiscard ? "use a BpfPerfEventArray (Linux 4.4)"
                : helper == HelperIds.GetCurrentTaskBtf ? "write the program as a [Tracepoint] or [Kprobe], where Bpf.GetCurrentTask is bpf_get_current_task (Linux 4.8)"
                : "target a newer kernel, or remove the call";

            /// <summary>Every helper the program and the subprograms it reaches call must be one its kind may use, and
            /// GPL-only ones need a GPL-compatible license.</summary>
            private void CheckHelpers(IMethodSymbol program, ProgramKind kind)
            {
                var reached = new List<IMethodSymbol> { program };
                for (int i = 0; i < reached.Count; i++)
                    if (Scope.Calls.TryGetValue(reached[i], out var callees))
                        reached.AddRange(callees.Where(c => !reached.Contains(c, SymbolEqualityComparer.Default)));
                string license = License();
                var tooNew = new HashSet<(Location, string)>(); // one BPF0036 per construct: Bpf.Range calls three kernel functions
                foreach (var method in reached)
                {
                    if (!_helperCalls.TryGetValue(method, out var calls)) continue;
                    foreach (var (helper, kernelFunction, location) in calls)
                    {
                        string feature = kernelFunction != null ? $"Bpf.Range's open-coded iterator ({(kernelFunction.StartsWith("bpf_iter_num_", System.StringComparison.Ordinal) ? "the bpf_iter_num_* kernel functions" : kernelFunction)})"
                            : HelperAvailability.NameOf(helper);
                        if (Scope.TargetKernel is { } target
                            && (kernelFunction != null ? KernelFeatures.KernelFunction(kernelFunction) : KernelFeatures.Helper(helper)) is { } since && since.CompareTo(target) > 0
                            && tooNew.Add((location, feature)))
                            _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.NotOnTargetKernel, location, feature, since, target, OlderAlternative(helper, kernelFunction)));
                        if (kernelFunction != null)
                        {
                            // The kernel gives kernel functions (kfuncs) only to GPL-compatible programs (verifier.c, add_kfunc_call).
                            if (!HelperAvailability.IsGplCompatible(license))
                                _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.GplOnlyHelper, location, method.Name, $"the kernel function {kernelFunction}", license));
                        }
                        else if (!HelperAvailability.IsAllowed(kind, helper))
                            _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.HelperNotAllowed, location, kind, HelperAvailability.NameOf(helper),
                                method.Equals(program, SymbolEqualityComparer.Default) ? "remove the call" : $"'{method.Name}' is called from the {kind} program '{program.Name}'"));
                        else if (HelperAvailability.IsGplOnly(helper) && !HelperAvailability.IsGplCompatible(license))
                            _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.GplOnlyHelper, location, method.Name, HelperAvailability.NameOf(helper), license));
                    }
                }
            }

            private bool CheckSignature(IMethodSymbol method, ProgramKinds.ProgramAttribute program)
            {
                var parameterType = method.Parameters.Length == 1 ? method.Parameters[0].Type : null;
                bool ok = method.IsStatic && method.DeclaredAccessibility == Accessibility.Public
                    && parameterType != null && (MetadataName(parameterType.OriginalDefinition) == program.ContextType
                        || program.Kind == ProgramKind.Tracepoint && MetadataName(parameterType) == "CSharpBpf.TracepointContext")
                    && method.Parameters[0].RefKind == RefKind.None
                    && (method.ReturnType.ToDisplayString() == program.ReturnType
                        || (program.Kind == ProgramKind.SocketFilter && method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32)
                        || (program.IsTracing && method.ReturnsVoid));
                if (!ok)
                {
                    string context = program.Kind == ProgramKind.Tracepoint ? "TracepointContext or TracepointContext<TArgs>" : program.ContextType.Replace("CSharpBpf.", "").Replace("`1", "<TArgs>");
                    string returns = program.IsTracing ? "int or void" : program.ReturnType.Replace("CSharpBpf.", "");
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.ProgramSignature, method.Locations.FirstOrDefault(), program.Attribute, method.Name, context, returns));
                }
                return ok;
            }

            private static string MetadataName(ITypeSymbol type) =>
                type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;

            private bool Lower(IMethodSymbol method, string section, ProgramKind? kind)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken) as MethodDeclarationSyntax;
                if (syntax == null)
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Unsupported, method.Locations.FirstOrDefault(), $"'{method.Name}'", "it has no source in this project"));
                    return false;
                }
                var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
                // A method with C# errors gets the C# compiler's messages only: its operations are partly invalid, and
                // saying so again in eBPF terms would only blur which error to fix.
                if (model.GetDiagnostics(syntax.Span, _cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
                    return false;
                var loopProblems = _verifierChecks ? LoopBoundCheck.Check(syntax, model).ToList() : new List<Diagnostic>();
                _diagnostics.AddRange(loopProblems);
                if (loopProblems.Any(d => d.Severity == DiagnosticSeverity.Error)) return false;
                return Guarded(method, () =>
                {
                    var ir = new MethodLowerer(Scope, method, model, method.Name, kind).Lower();
                    _diagnostics.AddRange(ir.Warnings);
                    _lowered.Add(new LoweredMethod(method, section, ir, syntax.SyntaxTree));
                    return true;
                });
            }

            /// <summary>A [SeccompFilter] method: lowered by the same front end once per architecture it serves (each with that
            /// architecture's syscall numbers), then written as one classic BPF filter that dispatches on seccomp_data.arch.</summary>
            private void CompileSeccomp(IMethodSymbol method)
            {
                var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken) as MethodDeclarationSyntax;
                if (syntax == null) return;
                var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
                if (model.GetDiagnostics(syntax.Span, _cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error)) return;
                var architectures = SeccompArchitectures(method).ToList();
                var unknown = architectures.Where(a => !Bytecode.Classic.Seccomp.SyscallTable.Architectures.Contains(a)).ToList();
                if (architectures.Count == 0 || unknown.Count > 0)
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.Unsupported, method.Locations.FirstOrDefault(),
                        architectures.Count == 0 ? "a seccomp filter for no architecture" : $"the architecture 0x{(uint)unknown[0]:x8}",
                        "list SeccompArchitecture.X86_64, SeccompArchitecture.Arm64 or both in Architectures (or leave it out for both)"));
                    return;
                }
                var bodies = new List<(SeccompArchitecture, Ir.IrFunction)>();
                foreach (var architecture in architectures)
                {
                    if (!Guarded(method, () =>
                    {
                        var ir = new MethodLowerer(Scope, method, model, method.Name, ProgramKind.Seccomp, architecture).Lower();
                        if (bodies.Count == 0) _diagnostics.AddRange(ir.Warnings);
                        bodies.Add((architecture, ir));
                        return true;
                    })) return;
                }
                try
                {
                    var program = Backend.Classic.SeccompFilterBuilder.Build(bodies);
                    var errors = Bytecode.Classic.Seccomp.SeccompValidator.Validate(program);
                    if (errors.Count > 0)
                    {
                        _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.InternalError, method.Locations.FirstOrDefault(), method.Name, string.Join("; ", errors)));
                        return;
                    }
                    SeccompFilters.Add(new SeccompFilterModel(method.Name, program.Encode()));
                }
                catch (Backend.Classic.ClassicBackendError error)
                {
                    var text = syntax.SyntaxTree.GetText(_cancellationToken);
                    var location = error.Line > 0 && error.Line <= text.Lines.Count ? LineLocation(syntax.SyntaxTree, text, error.Line) : method.Locations.FirstOrDefault();
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.NotClassic, location, error.Construct, error.Advice));
                }
            }

            /// <summary>[SeccompFilter(Architectures = …)], x86-64 and arm64 when not given.</summary>
            private static IEnumerable<SeccompArchitecture> SeccompArchitectures(IMethodSymbol method)
            {
                var attribute = method.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.SeccompFilterAttribute");
                var given = attribute.NamedArguments.FirstOrDefault(n => n.Key == "Architectures").Value;
                if (given.Kind != TypedConstantKind.Array) return new[] { SeccompArchitecture.X86_64, SeccompArchitecture.Arm64 };
                return given.Values.Select(v => (SeccompArchitecture)System.Convert.ToUInt32(v.Value)).Distinct();
            }

            private bool Guarded(IMethodSymbol method, Func<bool> stage)
            {
                try
                {
                    return stage();
                }
                catch (CompileError error)
                {
                    _diagnostics.Add(error.Diagnostic);
                    return false;
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or KeyNotFoundException)
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.InternalError, method.Locations.FirstOrDefault(), method.Name, e.Message));
                    return false;
                }
            }

            private sealed record LoweredMethod(IMethodSymbol Method, string Section, Ir.IrFunction Ir, SyntaxTree Tree);

            private readonly List<LoweredMethod> _lowered = new List<LoweredMethod>();

            /// <summary>Runs the IR checks callee-first, so each caller's checks see what its callees do to the pointers it
            /// passes and gets back (<see cref="FunctionSummary"/>); then emits, in the order the methods were lowered.</summary>
            private void CheckAndEmit()
            {
                var failed = new HashSet<LoweredMethod>();
                if (_verifierChecks)
                {
                    var summaries = new Dictionary<string, FunctionSummary>();
                    foreach (var m in CalleesFirst())
                    {
                        if (ReportLines(BpfDiagnostics.NullableAccess, NullCheck.UncheckedAccessLines(m.Ir, summaries), m.Tree)
                            | ReportLeaks(ReservationCheck.Leaks(m.Ir), m.Tree)
                            | ReportStalePacketAccesses(PacketInvalidationCheck.StaleAccesses(m.Ir, summaries), m.Tree))
                            failed.Add(m);
                        bool[]? globalPointers = m.Section == ".text" && ObjectScope.IsGlobalFunction(m.Method)
                            ? m.Method.Parameters.Select(p => Scope.ContextStructOf(p.Type) == null && (p.RefKind != RefKind.None || !TypeLayout.IsScalar(p.Type))).ToArray()
                            : null;
                        summaries[m.Ir.Name] = FunctionSummary.Of(m.Ir, summaries, globalPointers);
                    }
                }
                foreach (var m in _lowered)
                {
                    if (failed.Contains(m) || !Guarded(m.Method, () => Emit(m)))
                        Programs.RemoveAll(p => p.MethodName == m.Method.Name);
                }
            }

            private bool Emit(LoweredMethod m)
            {
                _helperCalls[m.Method] = HelperCalls(m.Ir, m.Tree);
                _stackUsers[m.Method] = m.Ir.StackUsers;
                var compiled = FunctionEmitter.Emit(m.Ir, Scope.CpuVersion);
                _frames[m.Method] = compiled.FrameSize;
                if (m.Ir.Blocks.SelectMany(b => b.Instructions).Any(i => i.Op == IrOp.CallLocal && Scope.PacketFilters.Any(p => p.Name == i.Symbol)))
                    _addedCallees[m.Method] = ClassicTranslator.FrameSize;
                if (compiled.Code.Count > InstructionLimit)
                {
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.TooManyInstructions, m.Method.Locations.FirstOrDefault(), m.Method.Name, compiled.Code.Count));
                    return false;
                }
                AddFunction(m.Ir.Name, m.Section, compiled, m.Tree);
                if (m.Section == ".text" && ObjectScope.IsGlobalFunction(m.Method)) _globalFunctions[m.Ir.Name] = m.Method;
                return true;
            }

            private IEnumerable<LoweredMethod> CalleesFirst()
            {
                var byMethod = _lowered.ToLookup(m => m.Method, SymbolEqualityComparer.Default);
                var order = new List<LoweredMethod>();
                var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
                void Visit(IMethodSymbol method)
                {
                    if (!visited.Add(method)) return;
                    if (Scope.Calls.TryGetValue(method, out var callees))
                        foreach (var callee in callees) Visit(callee);
                    order.AddRange(byMethod[method]);
                }
                foreach (var m in _lowered) Visit(m.Method);
                return order;
            }

            /// <summary>One diagnostic per source line an IR check found; true when there was any.</summary>
            private bool ReportLines(DiagnosticDescriptor descriptor, IReadOnlyList<int> lines, SyntaxTree tree)
            {
                var text = tree.GetText(_cancellationToken);
                foreach (int line in lines) _diagnostics.Add(Diagnostic.Create(descriptor, LineLocation(tree, text, line)));
                return lines.Count > 0;
            }

            /// <summary>BPF0028 at each return that can leave a ring-buffer record open; true when there was any.</summary>
            private bool ReportLeaks(IReadOnlyList<(int ReturnLine, int ReserveLine)> leaks, SyntaxTree tree)
            {
                var text = tree.GetText(_cancellationToken);
                foreach (var (returnLine, reserveLine) in leaks)
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.UnreleasedRecord, LineLocation(tree, text, returnLine), reserveLine));
                return leaks.Count > 0;
            }

            /// <summary>BPF0029 at each line that uses a packet ref a packet-moving helper invalidated; true when there was any.</summary>
            private bool ReportStalePacketAccesses(IReadOnlyList<(int Line, string Helper)> accesses, SyntaxTree tree)
            {
                var text = tree.GetText(_cancellationToken);
                foreach (var (line, helper) in accesses)
                    _diagnostics.Add(Diagnostic.Create(BpfDiagnostics.StalePacketReference, LineLocation(tree, text, line), helper));
                return accesses.Count > 0;
            }

            /// <summary>What keeps a [BpfGlobalFunction] from being verified on its own, or null.</summary>
            private string? GlobalSignatureProblem(IMethodSymbol method)
            {
                if (method.ReturnsByRef) return "returns a ref (return the value, or remove the attribute)";
                if (!method.ReturnsVoid && !TypeLayout.IsScalar(method.ReturnType))
                    return $"returns {method.ReturnType.ToDisplayString()} (give it an out parameter instead)";
                foreach (var p in method.Parameters)
                {
                    if (Scope.ContextStructOf(p.Type) != null) continue;
                    if (Scope.Known.IsTracingContext(p.Type))
                        return $"takes the tracing context '{p.Name}' (pass the values it needs instead)";
                    if (!p.Type.IsUnmanagedType || p.Type is IPointerTypeSymbol)
                        return $"takes '{p.Name}' of type {p.Type.ToDisplayString()} (pass a ref to a struct or an integer instead)";
                }
                return null;
            }

            private readonly Dictionary<string, IMethodSymbol> _globalFunctions = new Dictionary<string, IMethodSymbol>();

            /// <summary>A global function's FUNC_PROTO: scalars by type, refs and structs as pointers to their type, the context as
            /// a pointer to the kernel's struct (matched by name); void returns int, as the kernel wants a scalar.</summary>
            private int Prototype(BtfTypeBuilder btf, IMethodSymbol method)
            {
                var parameters = method.Parameters.Select(p => new BtfParameter(p.Name,
                    Scope.ContextStructOf(p.Type) is { } context ? btf.ContextPointer(context)
                    : p.RefKind != RefKind.None || !TypeLayout.IsScalar(p.Type) ? btf.PointerTo(p.Type)
                    : btf.IdOf(p.Type))).ToArray();
                return btf.FunctionPrototype(method.ReturnsVoid ? btf.Int32 : btf.IdOf(method.ReturnType), parameters);
            }

            private void AddFunction(string name, string section, CompiledFunction compiled, SyntaxTree tree)
            {
                _functions.Add(new BpfFunctionSpec(name, section, compiled.Code.ToArray(), compiled.Relocations.ToArray()));
                int sectionStart = _functions.Where(f => f.Section == section).Reverse().Skip(1).Sum(f => InstructionEncodingSlots(f)) * 8;
                foreach (var site in compiled.CoreRelocations) _coreSites.Add((section, sectionStart + site.Slot * 8, site));
                if (_buildsObject) AddLines(section, compiled, tree);
            }

            /// <summary>The subprograms BpfLog calls, after every method that may call them.</summary>
            private void AddLogEmitters()
            {
                if (Scope.FirstLogCall is not { } call || Scope.LogMap is not { } map) return;
                int line = call.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                foreach (int values in Scope.LogEmitters)
                    AddFunction(LogEmitter.NameOf(values), ".text", FunctionEmitter.Emit(LogEmitter.Build(map, values, line), Scope.CpuVersion), call.SyntaxTree);
            }

            /// <summary>The ctx.Matches filters, translated to eBPF already, after every method that may call them; each carries its
            /// first call's line (the kernel wants line info at every function's first instruction).</summary>
            private void AddPacketFilters()
            {
                foreach (var filter in Scope.PacketFilters)
                {
                    int line = filter.Location.GetLineSpan().StartLinePosition.Line + 1;
                    AddFunction(filter.Name, ".text", new CompiledFunction(filter.Name, filter.Code, Array.Empty<BpfRelocation>(), new[] { (0, line) }, ClassicTranslator.FrameSize), filter.Location.SourceTree!);
                }
            }

            private List<(int, string?, Location)> HelperCalls(Ir.IrFunction ir, SyntaxTree tree)
            {
                var text = tree.GetText(_cancellationToken);
                return ir.Blocks.SelectMany(b => b.Instructions).Where(i => i.Op is Ir.IrOp.CallHelper or Ir.IrOp.CallKernel && i.Line > 0)
                    .Select(i => (i.Helper, i.Op == Ir.IrOp.CallKernel ? i.Symbol : null, LineLocation(tree, text, i.Line))).ToList();
            }

            /// <summary>The location of a source line's text (without its indentation).</summary>
            private static Location LineLocation(SyntaxTree tree, Microsoft.CodeAnalysis.Text.SourceText text, int line)
            {
                var span = text.Lines[line - 1].Span;
                string content = text.Lines[line - 1].ToString();
                return Location.Create(tree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(span.Start + content.Length - content.TrimStart().Length, span.End));
            }

            private void AddLines(string section, CompiledFunction compiled, SyntaxTree tree)
            {
                // Offsets are within the section; subprograms share .text, so count what is already there.
                int sectionStart = _functions.Where(f => f.Section == section).Reverse().Skip(1).Sum(f => InstructionEncodingSlots(f)) * 8;
                var text = tree.GetText(_cancellationToken);
                foreach (var (slot, line) in compiled.Lines)
                {
                    if (line < 1 || line > text.Lines.Count) continue;
                    string lineText = text.Lines[line - 1].ToString();
                    int column = lineText.Length - lineText.TrimStart().Length + 1;
                    _lines.Add(new LineInfo(section, sectionStart + slot * 8, tree.FilePath, lineText.Trim(), line, column));
                }
            }

            private static int InstructionEncodingSlots(BpfFunctionSpec f) => f.Instructions.Sum(i => i.SlotCount);

            private BpfObjectSpec BuildSpec()
            {
                var btf = new BtfTypeBuilder();
                var maps = Scope.Maps.Select(m => new BpfMapSpec(m.Name, (uint)m.MapType,
                    m.KeyType == null ? 0 : btf.IdOf(m.KeyType),
                    m.Class == ObjectScope.LoopStateClass ? btf.ByteArray(Scope.LoopStateSize)
                        : m.Class == ObjectScope.UsdtSpecsClass ? btf.ByteArray(Bytecode.Usdt.UsdtSpecLayout.Size)
                        : m.ValueType == null ? 0 : btf.IdOf(m.ValueType),
                    m.MaxEntries, m.Flags)).ToArray();
                var globals = Scope.Globals.Select(g => new BpfGlobalSpec(g.Name, g.Section,
                    g.Field != null ? btf.IdOf(g.Field.Type) : btf.ByteArray(g.InitialValue.Length), g.InitialValue, g.Offset)).ToArray();
                var functions = _functions.Select(f => _globalFunctions.TryGetValue(f.Name, out var method)
                    ? f with { IsGlobal = true, Prototype = Prototype(btf, method) } : f).ToArray();
                // Kernel functions are declared with the kernel's prototypes, which libbpf checks its own against.
                var kernelFunctions = functions.SelectMany(f => f.Relocations).Select(r => r.Symbol).Where(KernelFunctions.IsKernelFunction).Distinct()
                    .Select(name => new BpfKernelFunctionSpec(name, btf.KernelFunctionPrototype(name))).ToArray();
                // Subprograms go to .text in the order they were lowered, which is the order AddLines counted.
                var core = _coreSites.Select(c => new CoreRelocation(c.Section, c.Offset, btf.IdOf(c.Site.Root), c.Site.Access, c.Site.Kind)).ToArray();
                return new BpfObjectSpec(License(), functions, maps, globals, btf.Types.ToArray(), _lines.ToArray(), kernelFunctions, core);
            }

            private string License()
            {
                var attribute = _type.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == "CSharpBpf.BpfObjectAttribute");
                return attribute.NamedArguments.FirstOrDefault(n => n.Key == "License").Value.Value as string ?? "GPL";
            }
        }
    }
}
