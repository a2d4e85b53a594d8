using System;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Links;

/// <summary>An attached program. Dispose detaches it (closing the link, or undoing the attach) and
/// releases whatever the attachment holds (a perf event). Pin keeps it attached past this process.</summary>
public sealed class BpfLink : IDisposable
{
    private readonly Action? _detach;
    private readonly IDisposable? _owned;
    private bool _disposed, _pinned;

    internal BpfLink(string description, BpfFileDescriptor? descriptor, IDisposable? owned = null, Action? detach = null)
    {
        Description = description;
        Descriptor = descriptor;
        _owned = owned;
        _detach = detach;
    }

    /// <summary>What is attached where, e.g. "xdp (native) on veth0".</summary>
    public string Description { get; }

    /// <summary>The link's descriptor, when the attachment is a kernel link.</summary>
    public BpfFileDescriptor? Descriptor { get; }

    /// <summary>Pins the link in bpffs; the program stays attached until the pin is removed.</summary>
    public void Pin(string path)
    {
        BpfSyscall.ObjPin(Descriptor ?? throw new InvalidOperationException($"{Description} is not a kernel link and cannot be pinned"), path);
        _pinned = true;
    }

    /// <summary>Detaches, at once: a kernel link is detached explicitly (BPF_LINK_DETACH) rather than left to the last
    /// close of its descriptor, which a child process forked meanwhile may still hold. A link pinned through
    /// <see cref="Pin"/> stays attached.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _detach?.Invoke();
        if (Descriptor != null && !_pinned) BpfSyscall.LinkDetach(Descriptor);
        Descriptor?.Dispose();
        _owned?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
