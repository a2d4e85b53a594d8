using System;

namespace CSharpBpf;

/// <summary>A kprobe program (section kprobe/function).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class KprobeAttribute : Attribute
{
    /// <summary>Declares the probe.</summary>
    public KprobeAttribute(string function) => Function = function;

    /// <summary>The kernel function probed.</summary>
    public string Function { get; }
}
