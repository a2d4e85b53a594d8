using System;

namespace CSharpBpf;

/// <summary>A BTF-typed program on an LSM hook (section lsm/hook, e.g. file_open), whose int return allows (0) or denies (a negative errno) the operation. Needs CONFIG_BPF_LSM with bpf in the kernel's lsm= list; loading elsewhere fails with the reason. The method takes a <see cref="TracingContext{TArgs}"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class LsmAttribute : Attribute
{
    /// <summary>Declares the program.</summary>
    public LsmAttribute(string hook) => Hook = hook;

    /// <summary>The hook, e.g. file_open (the kernel's bpf_lsm_&lt;hook&gt;).</summary>
    public string Hook { get; }
}
