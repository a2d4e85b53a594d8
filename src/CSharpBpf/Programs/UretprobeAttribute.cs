using System;

namespace CSharpBpf;

/// <summary>A uretprobe program (section uretprobe/binary:function).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UretprobeAttribute : Attribute
{
    /// <summary>Declares the probe.</summary>
    public UretprobeAttribute(string binaryPath, string function)
    {
        BinaryPath = binaryPath;
        Function = function;
    }

    /// <summary>The binary (or library) holding the function.</summary>
    public string BinaryPath { get; }
    /// <summary>The function probed.</summary>
    public string Function { get; }
}
