using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace CSharpBpf;

/// <summary>A task's command name (TASK_COMM_LEN = 16 bytes, NUL-terminated and NUL-padded, as the kernel's
/// <c>__get_task_comm</c> and <c>bpf_get_current_comm</c> write it).</summary>
/// <remarks>
/// Compare it with a name written in the program (<c>comm.Is("cat"u8)</c>) or with another <see cref="Comm"/>, e.g. a
/// <c>static readonly Comm Target;</c> the user side sets before load with <see cref="From"/>. Both lower to a few
/// 8-, 4-, 2- and 1-byte compares in eBPF.
/// </remarks>
[InlineArray(Length)]
public struct Comm : IEquatable<Comm>
{
    /// <summary>TASK_COMM_LEN: 16 bytes, the last always NUL.</summary>
    public const int Length = 16;

    private byte _element;

    /// <summary>A command name from text: its UTF-8 bytes, NUL-padded to 16.</summary>
    /// <exception cref="ArgumentException">The name is longer than 15 UTF-8 bytes (the kernel truncates names there), or holds a
    /// NUL (no command name does: it would end there).</exception>
    public static Comm From(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('\0')) throw new ArgumentException("a command name ends at its first NUL: pass the name without one", nameof(name));
        var comm = new Comm();
        int written = Encoding.UTF8.GetByteCount(name);
        if (written > Length - 1)
            throw new ArgumentException($"'{name}' is {written} UTF-8 bytes; a command name holds at most {Length - 1}", nameof(name));
        Encoding.UTF8.GetBytes(name, comm);
        return comm;
    }

    /// <summary>True when the name (the bytes before the first NUL) is exactly <paramref name="name"/>: in a program,
    /// pass a UTF-8 literal of at most 15 bytes (<c>"cat"u8</c>).</summary>
    public readonly bool Is(ReadOnlySpan<byte> name)
    {
        ReadOnlySpan<byte> bytes = this;
        return name.Length < Length && bytes[..name.Length].SequenceEqual(name) && bytes[name.Length] == 0;
    }

    /// <summary>True when all 16 bytes are equal (names are NUL-padded, so equal names compare equal).</summary>
    public readonly bool Equals(Comm other) => ((ReadOnlySpan<byte>)this).SequenceEqual(other);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is Comm other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(this);
        return hash.ToHashCode();
    }

    /// <summary>True when all 16 bytes are equal.</summary>
    public static bool operator ==(Comm left, Comm right) => left.Equals(right);

    /// <summary>True when any byte differs.</summary>
    public static bool operator !=(Comm left, Comm right) => !left.Equals(right);

    /// <summary>The name up to the first NUL.</summary>
    public override readonly string ToString() => CStringText.Decode(this);
}
