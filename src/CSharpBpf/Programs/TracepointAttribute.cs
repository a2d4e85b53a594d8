using System;

namespace CSharpBpf;

/// <summary>A tracepoint program (section tracepoint/category/name).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TracepointAttribute : Attribute
{
    /// <summary>Declares the tracepoint.</summary>
    public TracepointAttribute(string category, string name)
    {
        Category = category;
        Name = name;
    }

    /// <summary>The tracepoint category, e.g. syscalls.</summary>
    public string Category { get; }
    /// <summary>The tracepoint name, e.g. sys_enter_openat.</summary>
    public string Name { get; }
}
