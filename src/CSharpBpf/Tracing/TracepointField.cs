namespace CSharpBpf.Tracing;

/// <summary>One field of a tracepoint's record as tracefs describes it.</summary>
/// <param name="Declaration">The C declaration (<c>const char * filename</c>).</param>
/// <param name="Name">The C name (<c>filename</c>).</param>
/// <param name="Offset">Its offset in the record, the common header included.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="IsSigned">Whether tracefs says it is signed.</param>
public sealed record TracepointField(string Declaration, string Name, int Offset, int Size, bool IsSigned)
{
    /// <summary>Part of the 8-byte header every event starts with (common_type, common_pid, …), which programs cannot read.</summary>
    public bool IsCommon => Name.StartsWith("common_", System.StringComparison.Ordinal);
}
