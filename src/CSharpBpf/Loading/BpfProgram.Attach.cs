using System;
using System.Linq;
using System.Net.Sockets;
using CSharpBpf.Links;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

// Attaching a loaded program where its kind belongs. Each returns a BpfLink whose Dispose detaches.
public sealed partial class BpfProgram
{
    /// <summary>Attaches an XDP program to an interface: through a BPF link, or rtnetlink where the kernel has no XDP links.</summary>
    /// <exception cref="BpfException">The kernel refused the attach; in native mode on an interface whose driver has no
    /// native XDP (lo, veth before Linux 4.19), EOPNOTSUPP with the advice to attach in generic mode.</exception>
    public BpfLink AttachXdp(string interfaceName, XdpMode mode = XdpMode.Native, AttachMechanism mechanism = AttachMechanism.Auto)
    {
        int ifindex = NativeNetwork.InterfaceIndex(interfaceName);
        string description = $"xdp ({mode.ToString().ToLowerInvariant()}) on {interfaceName}";
        try
        {
            if (mechanism != AttachMechanism.Netlink)
            {
                try
                {
                    return new BpfLink(description, BpfSyscall.LinkCreate(Descriptor, ifindex, BpfAttachType.Xdp, (uint)mode, $"{interfaceName} in {mode} mode"));
                }
                catch (BpfException e) when (mechanism == AttachMechanism.Auto && e.Errno is 22 or 95 or 524) { }
            }
            RouteNetlink.SetXdp(ifindex, Descriptor.Value, (uint)mode);
            return new BpfLink(description + " (netlink)", null, detach: () => RouteNetlink.SetXdp(ifindex, -1, (uint)mode));
        }
        catch (BpfException e) when (mode == XdpMode.Native && e.Errno == 95)
        {
            // A driver without ndo_bpf (lo, many virtual and older NICs) has no native mode; every interface has generic.
            throw BpfException.WithCause($"attaching XDP to {interfaceName} in native mode", e.Errno,
                $"EOPNOTSUPP: the driver of {interfaceName} has no native XDP; attach in generic mode (XdpMode.Generic; csbpf attach --mode Generic)");
        }
    }

    /// <summary>Attaches a tc program to an interface's ingress or egress: through a tcx link, or a clsact qdisc with a
    /// direct-action cls_bpf filter where the kernel has no tcx.</summary>
    public BpfLink AttachTcx(string interfaceName, TcxDirection direction, AttachMechanism mechanism = AttachMechanism.Auto)
    {
        int ifindex = NativeNetwork.InterfaceIndex(interfaceName);
        bool egress = direction == TcxDirection.Egress;
        string description = $"tc {direction.ToString().ToLowerInvariant()} on {interfaceName}";
        if (mechanism != AttachMechanism.Netlink)
        {
            try
            {
                return new BpfLink("tcx " + description[3..], BpfSyscall.LinkCreate(Descriptor, ifindex, egress ? BpfAttachType.TcxEgress : BpfAttachType.TcxIngress, 0, $"{interfaceName} {direction}"));
            }
            catch (BpfException e) when (mechanism == AttachMechanism.Auto && e.Errno is 22 or 95 or 524) { }
        }
        RouteNetlink.EnsureClsAct(ifindex);
        RouteNetlink.AddBpfFilter(ifindex, egress, Descriptor.Value, Name);
        return new BpfLink(description + " (clsact, cls_bpf)", null, detach: () => RouteNetlink.DeleteBpfFilter(ifindex, egress));
    }

    /// <summary>Attaches a socket filter to <paramref name="socket"/>: it sees every packet the socket would receive.</summary>
    public BpfLink AttachSocketFilter(Socket socket)
    {
        NativeNetwork.AttachSocketFilter(socket, Descriptor);
        return new BpfLink($"socket filter on {socket.LocalEndPoint}", null, detach: () => NativeNetwork.DetachSocketFilter(socket));
    }

    /// <summary>Attaches a tracing program where its section says: tracepoint/category/name, raw_tp/name,
    /// kprobe/function, kretprobe/function, uprobe/binary:function, uretprobe/binary:function or
    /// usdt/binary:provider:name. Network programs need
    /// a target: use <see cref="AttachXdp"/>, <see cref="AttachTcx"/> or <see cref="AttachSocketFilter"/>.</summary>
    public BpfLink Attach()
    {
        int slash = Section.IndexOf('/');
        string kind = slash < 0 ? Section : Section[..slash], target = slash < 0 ? "" : Section[(slash + 1)..];
        switch (kind)
        {
            case "tracepoint" or "tp" when target.Split('/') is [var category, var name]:
                return AttachTracepoint(category, name);
            case "raw_tp" or "raw_tracepoint" when target.Length > 0:
                return AttachRawTracepoint(target);
            case "kprobe" or "kretprobe" when target.Length > 0:
                return AttachKprobe(target, kind == "kretprobe");
            case "uprobe" or "uretprobe" when target.LastIndexOf(':') is int colon and > 0:
                return AttachUprobe(target[..colon], target[(colon + 1)..], kind == "uretprobe");
            case "tp_btf" or "fentry" or "fexit" or "lsm" when AttachType != 0:
                return new BpfLink($"{kind} {target}", BpfSyscall.LinkCreate(Descriptor, 0, AttachType, 0, $"{kind} {target}"));
            case "iter":
                throw new InvalidOperationException($"program '{Name}' is an iterator ({Section}): run it with RunIterator()");
            case "usdt" when target.Split(':') is { Length: >= 3 } parts:
                return AttachUsdt(string.Join(':', parts[..^2]), parts[^2], parts[^1]);
            default:
                throw new InvalidOperationException($"program '{Name}' (section {Section}) has no target in its section: attach it with AttachXdp, AttachTcx, AttachSocketFilter or the Attach method for its kind");
        }
    }

    /// <summary>
    /// Runs an [Iter] program over everything its target walks (every task for iter/task): creates its iterator link,
    /// opens an iterator on it (BPF_ITER_CREATE) and reads it to the end, which runs the program once per object and
    /// once more with a null one. Returns what the program wrote to the iterator's output (nothing when it writes to
    /// maps instead).
    /// </summary>
    /// <exception cref="InvalidOperationException">The program is not an iterator.</exception>
    /// <exception cref="BpfException">The kernel refused the link or the iterator.</exception>
    public byte[] RunIterator()
    {
        if (AttachType != BpfAttachType.TraceIterator)
            throw new InvalidOperationException($"program '{Name}' (section {Section}) is not an iterator: declare it with [Iter(\"target\")]");
        using var link = BpfSyscall.LinkCreate(Descriptor, 0, BpfAttachType.TraceIterator, 0, Section);
        using var iterator = BpfSyscall.IterCreate(link);
        using var stream = new System.IO.FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(iterator.Value, ownsHandle: false), System.IO.FileAccess.Read, 1);
        using var output = new System.IO.MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Attaches a tracepoint program to category/name (e.g. syscalls/sys_enter_openat).</summary>
    public BpfLink AttachTracepoint(string category, string name)
    {
        try
        {
            return AttachPerfEvent(PerfEvent.OpenTracepoint(category, name), $"tracepoint {category}/{name}");
        }
        catch (BpfException e) when (e.Errno == 13)
        {
            // The kernel compares the furthest context read with the event's record only now, at attach.
            string record = TracepointRecordSize(category, name) is int size ? $" ({size - 8} bytes of fields after the 8-byte common header)" : "";
            throw BpfException.WithCause(e.Operation, e.Errno, $"EACCES: program '{Name}' reads past the end of tracepoint {category}/{name}'s record{record}: " +
                $"its TArgs is larger than the event's fields; regenerate it with `csbpf tracepoint {category}/{name}`");
        }
    }

    private static int? TracepointRecordSize(string category, string name)
    {
        try
        {
            return Tracing.TracepointFormat.Read(category, name).Fields.Max(f => f.Offset + f.Size);
        }
        catch (System.Exception e) when (e is System.IO.IOException or System.FormatException or System.UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Attaches a raw tracepoint program (e.g. sys_enter).</summary>
    public BpfLink AttachRawTracepoint(string name) => new($"raw tracepoint {name}", BpfSyscall.RawTracepointOpen(Descriptor, name));

    /// <summary>Attaches a uprobe (or uretprobe) program to <paramref name="symbol"/> in <paramref name="binaryPath"/>,
    /// in one process or all of them (-1).</summary>
    public BpfLink AttachUprobe(string binaryPath, string symbol, bool returnProbe = false, int pid = -1) =>
        AttachPerfEvent(PerfEvent.OpenUprobe(binaryPath, UprobeTarget.Offset(binaryPath, symbol), returnProbe, pid), $"{(returnProbe ? "uretprobe" : "uprobe")} {binaryPath}:{symbol}");

    /// <summary>
    /// Attaches a USDT program to every site of probe <paramref name="provider"/>:<paramref name="name"/> in
    /// <paramref name="binaryPath"/> (an executable or shared library with a <c>.note.stapsdt</c> section, as sys/sdt.h
    /// writes it): a uprobe per site, in process <paramref name="pid"/> or every process (-1), enabling the probe's
    /// semaphore while attached, each link carrying as its cookie the index of the site's argument spec, which the loader
    /// writes into the object's <c>__bpf_usdt_specs</c> map for <see cref="UsdtContext.Arg"/> to decode (libbpf's usdt.c
    /// does the same). Disposing the link detaches every site.
    /// </summary>
    /// <exception cref="ArgumentException">The binary has no such probe (the message lists the probes it has), or is
    /// not a 64-bit ELF file.</exception>
    /// <exception cref="InvalidOperationException">The program was not compiled from a [Usdt] method (its object has no
    /// spec map).</exception>
    /// <exception cref="NotSupportedException">A site's argument cannot be decoded (the message quotes it).</exception>
    /// <exception cref="BpfException">The kernel refused a uprobe or link.</exception>
    public BpfLink AttachUsdt(string binaryPath, string provider, string name, int pid = -1)
    {
        var specs = UsdtSpecs ?? throw new InvalidOperationException(
            $"program '{Name}' has no {Bytecode.Usdt.UsdtSpecLayout.SpecsMap} map to describe USDT arguments in: compile it from a [Usdt] method");
        var all = Tracing.UsdtProbe.Read(binaryPath);
        var sites = all.Where(p => p.Provider == provider && p.Name == name).ToList();
        if (sites.Count == 0)
        {
            string known = all.Count == 0 ? "it has no .note.stapsdt probes" : "it has " + string.Join(", ", all.Select(p => $"{p.Provider}:{p.Name}").Distinct());
            throw new ArgumentException($"{binaryPath} has no USDT probe {provider}:{name}: {known}", nameof(name));
        }
        var encoded = sites.Select(site => Tracing.UsdtSpec.Encode(site.Arguments(), site)).ToList(); // every site decodes before any attaches
        var links = new System.Collections.Generic.List<BpfLink>();
        var entries = new System.Collections.Generic.List<int>();
        void DetachAll()
        {
            foreach (var link in links) link.Dispose();
            foreach (int entry in entries) specs.Release(entry);
        }
        try
        {
            for (int i = 0; i < sites.Count; i++)
            {
                var site = sites[i];
                int entry = specs.Acquire(encoded[i]);
                entries.Add(entry);
                string description = $"usdt {binaryPath}:{provider}:{name} at 0x{site.Address:x}";
                var perfEvent = PerfEvent.OpenUprobe(binaryPath, site.FileOffset, false, pid, site.SemaphoreOffset);
                try
                {
                    links.Add(new BpfLink(description, BpfSyscall.LinkCreate(Descriptor, perfEvent.Value, BpfAttachType.PerfEvent, 0, description, (ulong)entry), perfEvent));
                }
                catch
                {
                    perfEvent.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            DetachAll();
            throw;
        }
        string sitesText = sites.Count == 1 ? "1 site" : $"{sites.Count} sites";
        return new BpfLink($"usdt {binaryPath}:{provider}:{name} ({sitesText})", null, detach: DetachAll);
    }

    /// <summary>Attaches a kprobe (or kretprobe) program to a kernel function; throws NotSupportedException on kernels without kprobes.</summary>
    public BpfLink AttachKprobe(string function, bool returnProbe = false) =>
        AttachPerfEvent(PerfEvent.OpenKprobe(function, returnProbe), $"{(returnProbe ? "kretprobe" : "kprobe")} {function}");

    private BpfLink AttachPerfEvent(BpfFileDescriptor perfEvent, string description)
    {
        try
        {
            return new BpfLink(description, BpfSyscall.LinkCreate(Descriptor, perfEvent.Value, BpfAttachType.PerfEvent, 0, description), perfEvent);
        }
        catch
        {
            perfEvent.Dispose();
            throw;
        }
    }

    /// <summary>Pins the program in bpffs.</summary>
    public void Pin(string path) => BpfSyscall.ObjPin(Descriptor, path);
}
