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

        public static CompileError Unsupported(SyntaxNode? node, string what, string instead) => Unsupported(BpfDiagnostics.Unsupported, node, what, instead);

        /// <summary>A construct of one of the families with an ID of their own (allocation, strings, exceptions, …).</summary>
        public static CompileError Unsupported(DiagnosticDescriptor family, SyntaxNode? node, string what, string instead) =>
            new CompileError(Microsoft.CodeAnalysis.Diagnostic.Create(family, node?.GetLocation(), what, instead));

        public static CompileError At(DiagnosticDescriptor descriptor, SyntaxNode? node, params object[] args) =>
            new CompileError(Microsoft.CodeAnalysis.Diagnostic.Create(descriptor, node?.GetLocation(), args));
    }
}
