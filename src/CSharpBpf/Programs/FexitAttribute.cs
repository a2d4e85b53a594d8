using System;

namespace CSharpBpf;

/// <summary>A BTF-typed program on exit from a kernel function (section fexit/function): its arguments, then its return value. Needs BPF trampolines, as [Fentry]. The method takes a <see cref="TracingContext{TArgs}"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FexitAttribute : Attribute
{
    /// <summary>Declares the program.</summary>
    public FexitAttribute(string function) => Function = function;

    /// <summary>The kernel function.</summary>
    public string Function { get; }
}
