using System;

namespace CSharpBpf;

/// <summary>A uprobe program (section uprobe/binary:function).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UprobeAttribute : Attribute
{
    /// <summary>Declares the probe.</summary>
    public UprobeAttribute(string binaryPath, string function)
    {
        BinaryPath = binaryPath;
        Function = function;
    }

    /// <summary>The binary (or library) holding the function.</summary>
    public string BinaryPath { get; }
    /// <summary>The function probed.</summary>
    public string Function { get; }
}
