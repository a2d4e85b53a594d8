using System.Linq;
using CSharpBpf.Generator.Output;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CSharpBpf.Generator
{
    /// <summary>
    /// Compiles each [BpfObject] class to an eBPF object at build time and adds its skeleton (the analyzers report
    /// what stops an object from compiling). Only
    /// classes carrying the attribute are looked at, and the model passed on is equatable, so an edit
    /// elsewhere in the project does no work here.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class BpfObjectGenerator : IIncrementalGenerator
    {
        /// <summary>The attribute that marks a class as one eBPF object.</summary>
        public const string ObjectAttribute = "CSharpBpf.BpfObjectAttribute";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var objects = context.SyntaxProvider.ForAttributeWithMetadataName(
                ObjectAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (c, ct) => ObjectCompiler.Compile((INamedTypeSymbol)c.TargetSymbol, c.SemanticModel.Compilation, ct))
                .WithTrackingName("BpfObjects");

            // Diagnostics are the analyzers' to report (CSharpBpf.Analyzers runs the same ObjectCompiler), as
            // LibraryImportGenerator does: the generator only emits, and emits nothing for an object with errors.
            context.RegisterSourceOutput(objects, static (output, model) =>
            {
                if (model.ObjectBytes.Count > 0 || model.SeccompFilters.Count > 0)
                    output.AddSource($"{(model.Namespace == null ? "" : model.Namespace + ".")}{model.ClassName}.BpfObject.g.cs", SourceText.From(SkeletonEmitter.Emit(model), System.Text.Encoding.UTF8));
            });
        }
    }
}
