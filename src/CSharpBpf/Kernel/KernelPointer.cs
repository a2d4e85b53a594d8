using System;
using System.Collections.Concurrent;

namespace CSharpBpf;

/// <summary>
/// A pointer into kernel memory to a <typeparamref name="T"/> (a <see cref="KernelTypeAttribute"/> struct): 8 bytes, the
/// address. In a program, <see cref="Value"/> and the fields read through it compile to CO-RE relocated
/// bpf_probe_read_kernel calls: <c>task.Value.RealParent.Value.Tgid</c> is libbpf's
/// <c>BPF_CORE_READ(task, real_parent, tgid)</c>. A read through a null or bad pointer gives zeroes, as the helper does.
/// As plain .NET there is no kernel memory: <see cref="KernelMemory.Place{T}"/> gives pointers to values a test sets up.
/// </summary>
public readonly struct KernelPointer<T> : IEquatable<KernelPointer<T>> where T : unmanaged
{
    /// <summary>A pointer to <paramref name="address"/>.</summary>
    public KernelPointer(ulong address) => Address = address;

    /// <summary>The kernel address.</summary>
    public ulong Address { get; }

    /// <summary>True for the null pointer.</summary>
    public bool IsNull => Address == 0;

    /// <summary>The <typeparamref name="T"/> it points at (zeroes when it cannot be read). As plain .NET, the value
    /// <see cref="KernelMemory.Place{T}"/> put there, or zeroes.</summary>
    public T Value => KernelMemory.Read<T>(Address);

    /// <inheritdoc/>
    public bool Equals(KernelPointer<T> other) => Address == other.Address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KernelPointer<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Address.GetHashCode();

    /// <summary>Same address.</summary>
    public static bool operator ==(KernelPointer<T> left, KernelPointer<T> right) => left.Equals(right);

    /// <summary>Different addresses.</summary>
    public static bool operator !=(KernelPointer<T> left, KernelPointer<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"0x{Address:x}";
}

/// <summary>
/// A pointer into kernel memory to a type this program does not declare (a <c>struct cred *</c> when no
/// <see cref="KernelTypeAttribute"/> struct <c>Cred</c> was generated, a <c>char *</c>, a <c>void *</c>): 8 bytes, the
/// address, a pointer in the object's BTF (so CO-RE relocates fields of this type against the kernel's pointer members).
/// Test it for null (<see cref="IsNull"/>, <c>==</c>), pass its <see cref="Address"/> to the probe-read helpers, or give
/// it a type with <see cref="As{T}"/>. Not generic, so a kernel struct that holds one never makes the runtime load a
/// generic instantiation over a kernel type while laying the struct out.
/// </summary>
public readonly struct KernelPointer : IEquatable<KernelPointer>
{
    /// <summary>A pointer to <paramref name="address"/>.</summary>
    public KernelPointer(ulong address) => Address = address;

    /// <summary>The kernel address.</summary>
    public ulong Address { get; }

    /// <summary>True for the null pointer.</summary>
    public bool IsNull => Address == 0;

    /// <summary>The same address as a pointer to <typeparamref name="T"/> (a C cast).</summary>
    public KernelPointer<T> As<T>() where T : unmanaged => new(Address);

    /// <inheritdoc/>
    public bool Equals(KernelPointer other) => Address == other.Address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KernelPointer other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Address.GetHashCode();

    /// <summary>Same address.</summary>
    public static bool operator ==(KernelPointer left, KernelPointer right) => left.Equals(right);

    /// <summary>Different addresses.</summary>
    public static bool operator !=(KernelPointer left, KernelPointer right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"0x{Address:x}";
}

/// <summary>Kernel memory as plain .NET sees it: values a test places at made-up addresses, so a program that reads
/// kernel structures through <see cref="KernelPointer{T}"/> runs as plain .NET with data the test chose.</summary>
public static class KernelMemory
{
    private static readonly ConcurrentDictionary<ulong, object> Values = new();
    private static long _next = unchecked((long)0xffff_8880_0000_0000);

    /// <summary>The current task, as <see cref="Bpf.GetCurrentTask{T}"/> returns it as plain .NET (null until set).</summary>
    public static ulong CurrentTask { get; set; }

    /// <summary>Places <paramref name="value"/> at a new address and returns a pointer to it.</summary>
    public static KernelPointer<T> Place<T>(T value) where T : unmanaged
    {
        ulong address = (ulong)System.Threading.Interlocked.Add(ref _next, 4096);
        Values[address] = value;
        return new KernelPointer<T>(address);
    }

    internal static T Read<T>(ulong address) where T : unmanaged =>
        address != 0 && Values.TryGetValue(address, out var value) && value is T typed ? typed : default;
}
