using System;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Diagnostics
{
    /// <summary>Thrown inside the front end to abandon one method with a diagnostic; the object
    /// compiler catches it and reports <see cref="Diagnostic"/> (never an exception to the user).</summary>
    internal sealed class CompileError : Exception
    {
        public CompileError(Diagnostic diagnostic) : base(diagnostic.GetMessage()) => Diagnostic = diagnostic;

        public Diagnostic Diagnostic { get; }

        public static CompileError Unsupported(SyntaxNode? node, string what, string instead) =>
            new CompileError(Microsoft.CodeAnalysis.Diagnostic.Create(BpfDiagnostics.Unsupported, node?.GetLocation(), what, instead));

        public static CompileError At(DiagnosticDescriptor descriptor, SyntaxNode? node, params object[] args) =>
            new CompileError(Microsoft.CodeAnalysis.Diagnostic.Create(descriptor, node?.GetLocation(), args));
    }
}
