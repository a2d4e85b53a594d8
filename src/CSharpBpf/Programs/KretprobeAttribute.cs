using System;

namespace CSharpBpf;

/// <summary>A kretprobe program (section kretprobe/function).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class KretprobeAttribute : Attribute
{
    /// <summary>Declares the probe.</summary>
    public KretprobeAttribute(string function) => Function = function;

    /// <summary>The kernel function probed.</summary>
    public string Function { get; }
}
