using System;

namespace CSharpBpf;

/// <summary>A BTF-typed program on entry to a kernel function (section fentry/function), its arguments typed by the kernel's BTF. Needs BPF trampolines (CONFIG_FUNCTION_TRACER with dynamic ftrace); loading on a kernel without them fails with the reason. The method takes a <see cref="TracingContext{TArgs}"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FentryAttribute : Attribute
{
    /// <summary>Declares the program.</summary>
    public FentryAttribute(string function) => Function = function;

    /// <summary>The kernel function.</summary>
    public string Function { get; }
}
