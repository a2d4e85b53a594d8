using System;

namespace CSharpBpf;

/// <summary>
/// Marks a struct or enum as a kernel type read through CO-RE (clang's <c>preserve_access_index</c>): its name and its
/// fields' names are the kernel's, and every field a program reads through a <see cref="KernelPointer{T}"/> compiles to a
/// bpf_probe_read_kernel whose offset carries a CO-RE relocation, so the loader puts in the running kernel's offset
/// rather than the one declared here. A <c>___suffix</c> names a flavour (<c>task_struct___old</c>): it matches the
/// kernel's <c>task_struct</c>, as in libbpf, so one program can declare two layouts and test which exists.
/// <c>csbpf btf generate</c> writes these types from the kernel's BTF.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum, Inherited = false)]
public sealed class KernelTypeAttribute : Attribute
{
    /// <summary>Declares the kernel type <paramref name="name"/> (e.g. "task_struct").</summary>
    public KernelTypeAttribute(string name) => Name = name;

    /// <summary>The kernel's name for the type.</summary>
    public string Name { get; }
}
