namespace CSharpBpf.Generator.Frontend
{
    /// <summary>A BpfLog call: its level (Microsoft.Extensions.Logging.LogLevel's number), its message template, how each
    /// hole's value reads back (Signed, Unsigned, Boolean, Text:size) and where it is.</summary>
    internal sealed record LogSite(int Level, string Template, string[] ValueKinds, string Source);
}
