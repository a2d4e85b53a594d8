namespace CSharpBpf.Generator.Frontend
{
    /// <summary>A BpfLog call: its level (Microsoft.Extensions.Logging.LogLevel's number), its message template, how each
    /// hole's value reads back and where it is.</summary>
    internal sealed record LogSite(int Level, string Template, LogValue[] Values, string Source);

    /// <summary>A hole: CSharpBpf.Logging.BpfLogValueKind's member name (Signed, Unsigned, Boolean, Text) and its bytes.</summary>
    internal sealed record LogValue(string Kind, int Size);
}
