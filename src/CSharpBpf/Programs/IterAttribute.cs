using System;

namespace CSharpBpf;

/// <summary>A BTF-typed program on a BPF iterator (section iter/target, e.g. task): the program runs once per object the kernel walks, then once with a null object. <c>BpfProgram.RunIterator()</c> runs it. The method takes a <see cref="TracingContext{TArgs}"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IterAttribute : Attribute
{
    /// <summary>Declares the program.</summary>
    public IterAttribute(string target) => Target = target;

    /// <summary>The iterator target, e.g. task (the kernel's bpf_iter_&lt;target&gt;).</summary>
    public string Target { get; }
}
