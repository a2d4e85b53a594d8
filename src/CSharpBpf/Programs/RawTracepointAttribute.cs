using System;

namespace CSharpBpf;

/// <summary>A raw tracepoint program (section raw_tp/name).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RawTracepointAttribute : Attribute
{
    /// <summary>Declares the raw tracepoint.</summary>
    public RawTracepointAttribute(string name) => Name = name;

    /// <summary>The tracepoint name, e.g. sys_enter.</summary>
    public string Name { get; }
}
