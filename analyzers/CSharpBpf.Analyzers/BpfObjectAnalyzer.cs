using System.Collections.Immutable;
using System.Linq;
using CSharpBpf.Generator;
using CSharpBpf.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CSharpBpf.Analyzers
{
    /// <summary>
    /// Reports, while the user types, everything the compiler would refuse in a [BpfObject] class: the same
    /// front end and checks the generator runs (ObjectCompiler), so "no diagnostics here" means "the generator
    /// lowers it". Classes without the attribute cost one attribute lookup.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BpfObjectAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => BpfDiagnostics.All;

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        }

        private static void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == BpfObjectGenerator.ObjectAttribute)) return;
            foreach (var diagnostic in ObjectCompiler.Diagnose(type, context.Compilation, context.CancellationToken))
                context.ReportDiagnostic(diagnostic);
        }
    }
}
