using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace CSharpBpf;

/// <summary>Text of a NUL-terminated byte buffer: the bytes up to the first NUL, as UTF-8.</summary>
internal static class CStringText
{
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}

/// <summary>A 128-byte NUL-terminated string, for <see cref="Bpf.ProbeReadUserString{T}"/> and record fields (arguments).</summary>
[InlineArray(128)]
public struct CString128
{
    private byte _element;

    /// <summary>The text up to the first NUL.</summary>
    public override readonly string ToString() => CStringText.Decode(this);
}

/// <summary>A 256-byte NUL-terminated string, for <see cref="Bpf.ProbeReadUserString{T}"/> and record fields (paths).</summary>
[InlineArray(256)]
public struct CString256
{
    private byte _element;

    /// <summary>The text up to the first NUL.</summary>
    public override readonly string ToString() => CStringText.Decode(this);
}
