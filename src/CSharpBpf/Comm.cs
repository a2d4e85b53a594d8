using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>A task's command name (TASK_COMM_LEN = 16 bytes, NUL-terminated).</summary>
[InlineArray(16)]
public struct Comm
{
    private byte _element;

    /// <summary>The name up to the first NUL.</summary>
    public override readonly string ToString() => CStringText.Decode(this);
}
