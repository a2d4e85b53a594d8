using System;

namespace CSharpBpf;

/// <summary>A BTF-typed program on a kernel tracepoint typed by the kernel's BTF (section tp_btf/name, e.g. sched_switch): its arguments are the tracepoint's C arguments (the btf_trace_&lt;name&gt; typedef), pointers typed, with no record copied. Attach with <c>Attach()</c>. The method takes a <see cref="TracingContext{TArgs}"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class BtfTracepointAttribute : Attribute
{
    /// <summary>Declares the program.</summary>
    public BtfTracepointAttribute(string name) => Name = name;

    /// <summary>The tracepoint's name, e.g. sched_switch.</summary>
    public string Name { get; }
}
