using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace CSharpBpf;

/// <summary>A task's command name (TASK_COMM_LEN = 16 bytes, NUL-terminated).</summary>
[InlineArray(16)]
public struct Comm
{
    private byte _element;

    /// <summary>The name up to the first NUL.</summary>
    public override readonly string ToString()
    {
        var bytes = (System.ReadOnlySpan<byte>)this;
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
