namespace CSharpBpf;

/// <summary>
/// A tracepoint program's context when the program reads none of the event's fields: it counts the event, or learns what
/// it needs from helpers (<see cref="Bpf.GetCurrentPidTgid"/>, <see cref="Bpf.KtimeGetNs"/>…). Take
/// <see cref="TracepointContext{TArgs}"/> instead to read the fields. As plain .NET it carries nothing.
/// </summary>
public sealed class TracepointContext
{
}
