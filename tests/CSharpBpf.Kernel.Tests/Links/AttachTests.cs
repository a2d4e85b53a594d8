using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CSharpBpf.Links;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>Attaching for real: XDP and tcx on a veth pair in a test namespace, a socket filter on a UDP
/// socket over loopback, a tracepoint and a raw tracepoint on this process's syscalls, a uprobe on a
/// native binary; kprobes load, and attaching says why it cannot here.</summary>
public sealed partial class AttachTests
{
    [KernelTheory]
    [InlineData(XdpMode.Generic)]
    [InlineData(XdpMode.Native)]
    public void Xdp_drop_stops_ping_counts_the_packets_and_dispose_lets_it_through(XdpMode mode)
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        Assert.True(veth.PingHostFromPeer(), "ping must work before anything is attached");
        using (var link = loaded.Program("xdp_drop_icmp").AttachXdp(veth.HostSide, mode))
        {
            Assert.Contains(veth.HostSide, link.Description);
            Assert.False(veth.PingHostFromPeer(), "ping must fail while the drop program is attached");
            Assert.True(LinkFixtures.Counter(loaded, 0) >= 1, "the program counted no dropped packet");
        }
        Assert.True(veth.PingHostFromPeer(), "ping must work again after the link is disposed");
    }

    [KernelFact]
    public void Tcx_ingress_drops_until_disposed()
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        using (loaded.Program("tcx_drop_icmp").AttachTcx(veth.HostSide, TcxDirection.Ingress))
        {
            Assert.False(veth.PingHostFromPeer());
            Assert.True(LinkFixtures.Counter(loaded, 1) >= 1);
        }
        Assert.True(veth.PingHostFromPeer());
    }

    [KernelFact]
    public void Socket_filter_on_a_udp_socket_keeps_only_what_it_accepts()
    {
        using var loaded = LinkFixtures.Load();
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 500;
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using (loaded.Program("keep_k").AttachSocketFilter(receiver))
        {
            foreach (var text in new[] { "drop me", "keep me", "xenon", "kept too" })
                sender.SendTo(Encoding.ASCII.GetBytes(text), receiver.LocalEndPoint!);
            Assert.Equal(new[] { "keep me", "kept too" }, ReceiveAll(receiver));
        }
        sender.SendTo(Encoding.ASCII.GetBytes("after detach"), receiver.LocalEndPoint!);
        Assert.Equal(new[] { "after detach" }, ReceiveAll(receiver));
    }

    private static string[] ReceiveAll(Socket socket)
    {
        var received = new System.Collections.Generic.List<string>();
        var buffer = new byte[256];
        while (true)
        {
            try { received.Add(Encoding.ASCII.GetString(buffer, 0, socket.Receive(buffer))); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { return received.ToArray(); }
        }
    }

    [KernelFact]
    public void Tracepoint_counts_the_openat_calls_this_process_makes()
    {
        using var loaded = LinkFixtures.Load();
        string path = Path.GetTempFileName();
        try
        {
            using (loaded.Program("count_openat").AttachTracepoint("syscalls", "sys_enter_openat"))
            {
                for (int i = 0; i < 25; i++) File.ReadAllBytes(path);
                Assert.InRange(LinkFixtures.Counter(loaded, 2), 25ul, 1000ul);
            }
            // The program counts every openat of this process, and tests beside this one open files too: one of theirs may
            // have been counted on another CPU while the link went away. Detached, nothing starts the program again, so the
            // count settles at once; then an openat of ours must not move it.
            ulong after = LinkFixtures.Counter(loaded, 2);
            for (int i = 0; i < 100; i++)
            {
                System.Threading.Thread.Sleep(10);
                ulong now = LinkFixtures.Counter(loaded, 2);
                if (now == after) break;
                after = now;
            }
            File.ReadAllBytes(path);
            Assert.Equal(after, LinkFixtures.Counter(loaded, 2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [KernelFact]
    public void Raw_tracepoint_counts_this_process_syscalls()
    {
        using var loaded = LinkFixtures.Load();
        using (loaded.Program("count_sys_enter").AttachRawTracepoint("sys_enter"))
        {
            for (int i = 0; i < 20; i++) _ = File.Exists("/proc/self/status");
            Assert.True(LinkFixtures.Counter(loaded, 3) >= 20);
        }
    }

    [KernelFact]
    public void Uprobe_sees_every_call_and_its_first_argument()
    {
        using var loaded = LinkFixtures.Load();
        using (var link = loaded.Program("count_add").AttachUprobe(LinkFixtures.AdderPath, "add"))
        {
            Assert.Contains("uprobe", link.Description);
            ExternalTool.Run(LinkFixtures.AdderPath, "100").EnsureSuccess();
        }
        Assert.Equal(100ul, LinkFixtures.Counter(loaded, 0));
        Assert.Equal(5050ul, LinkFixtures.Counter(loaded, 1)); // add(i, 1) for i = 1..100
        ExternalTool.Run(LinkFixtures.AdderPath, "10").EnsureSuccess();
        Assert.Equal(100ul, LinkFixtures.Counter(loaded, 0)); // detached
    }

    [KernelFact]
    public void Uretprobe_sees_every_return()
    {
        using var loaded = LinkFixtures.Load();
        using (var link = loaded.Program("count_add").AttachUprobe(LinkFixtures.AdderPath, "add", returnProbe: true))
        {
            Assert.Contains("uretprobe", link.Description);
            ExternalTool.Run(LinkFixtures.AdderPath, "7").EnsureSuccess();
        }
        Assert.Equal(7ul, LinkFixtures.Counter(loaded, 0));
    }

    [KernelFact]
    public void Kprobe_programs_load_and_attaching_says_this_kernel_has_no_kprobes()
    {
        using var loaded = LinkFixtures.Load();
        var kprobe = loaded.Program("kprobe_openat");
        Assert.False(kprobe.Descriptor.IsInvalid);
        if (Directory.Exists("/sys/bus/event_source/devices/kprobe"))
        {
            using var link = kprobe.AttachKprobe("do_sys_openat2");
            Assert.Contains("kprobe", link.Description);
            return;
        }
        var error = Assert.Throws<NotSupportedException>(() => kprobe.AttachKprobe("do_sys_openat2"));
        Assert.Contains("no kprobes", error.Message);
    }

    [KernelFact]
    public void Pinned_links_keep_the_program_attached_and_open_again()
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        string pin = $"/sys/fs/bpf/csbpf-link-{Environment.ProcessId}";
        try
        {
            using (var link = loaded.Program("xdp_drop_icmp").AttachXdp(veth.HostSide, XdpMode.Generic))
                link.Pin(pin);
            Assert.False(veth.PingHostFromPeer(), "the pinned link must keep the program attached");
            using (var reopened = Syscalls.BpfSyscall.ObjGet(pin)) Assert.False(reopened.IsInvalid);
            File.Delete(pin);
            Assert.True(veth.PingHostFromPeer(), "removing the pin must detach the program");
        }
        finally
        {
            if (File.Exists(pin)) File.Delete(pin);
        }
    }

    /// <summary>Every program and map a cycle creates is gone from the kernel once the cycle is disposed: a descriptor
    /// leaked anywhere (program, map, the link that holds the program, the BTF a map holds) would keep its object's id
    /// alive. It counts only the ids of its own objects, so tests running beside it cannot disturb it; and the process's
    /// descriptor count, which they can, must not grow by a thousand.</summary>
    [KernelFact]
    public void A_thousand_load_attach_dispose_cycles_leave_the_open_descriptors_flat()
    {
        using var veth = new VethPair();
        var programs = new HashSet<uint>();
        var maps = new HashSet<uint>();
        static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 5; i++) Cycle(veth, programs, maps);
        int before = OpenDescriptors();
        for (int i = 0; i < 1000; i++) Cycle(veth, programs, maps);
        int after = OpenDescriptors();
        Assert.Equal(1005, programs.Count);                 // every cycle loaded its own program
        Assert.True(maps.Count >= 1005, $"{maps.Count} maps");
        // The kernel frees a program or map after an RCU grace period once its last reference is gone.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        uint[] alivePrograms, aliveMaps;
        do
        {
            alivePrograms = KernelObjectInfo.ProgramIds().Where(programs.Contains).ToArray();
            aliveMaps = KernelObjectInfo.MapIds().Where(maps.Contains).ToArray();
        } while ((alivePrograms.Length > 0 || aliveMaps.Length > 0) && DateTime.UtcNow < deadline && Sleep());
        Assert.True(alivePrograms.Length == 0 && aliveMaps.Length == 0,
            $"{alivePrograms.Length} programs and {aliveMaps.Length} maps of disposed cycles are still alive: a descriptor leaked");
        // A leak of one descriptor per cycle would show as a thousand; other tests' descriptors come and go by a few.
        Assert.True(after - before < 500, $"{after - before} more descriptors are open after 1000 cycles ({before} → {after})");
    }

    private static bool Sleep()
    {
        System.Threading.Thread.Sleep(50);
        return true;
    }

    /// <summary>A child process forked while a link is open holds a copy of its descriptor until it execs; Dispose must
    /// detach anyway, or re-attaching right after fails with EBUSY (found when other tests spawned tools in parallel).</summary>
    [KernelFact]
    public void Dispose_detaches_even_while_another_descriptor_holds_the_link()
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        var program = loaded.Program("xdp_drop_icmp");
        int copy;
        using (var link = program.AttachXdp(veth.HostSide, XdpMode.Generic)) copy = dup(link.Descriptor!.Value);
        try
        {
            using var again = program.AttachXdp(veth.HostSide, XdpMode.Generic);
            Assert.NotNull(again.Descriptor);
        }
        finally
        {
            close(copy);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    private static partial int dup(int fd);

    [System.Runtime.InteropServices.LibraryImport("libc.so.6")]
    private static partial int close(int fd);

    private static void Cycle(VethPair veth, HashSet<uint> programs, HashSet<uint> maps)
    {
        using var loaded = LinkFixtures.Load();
        var program = loaded.Program("xdp_drop_icmp");
        using var link = program.AttachXdp(veth.HostSide, XdpMode.Generic);
        programs.Add(program.Info().Id);
        foreach (var map in loaded.Maps.Values) maps.Add(KernelObjectInfo.Map(map.Descriptor).Id);
    }
}

/// <summary>The rtnetlink paths used where the kernel has no XDP or tcx links, forced here.</summary>
public sealed class NetlinkAttachTests
{
    [KernelFact]
    public void Xdp_over_netlink_drops_until_detached()
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        using (var attached = loaded.Program("xdp_drop_icmp").AttachXdp(veth.HostSide, XdpMode.Generic, AttachMechanism.Netlink))
        {
            Assert.Contains("netlink", attached.Description);
            Assert.Contains("xdpgeneric", ExternalTool.Run("ip", "link", "show", veth.HostSide).Stdout);
            Assert.False(veth.PingHostFromPeer());
        }
        Assert.DoesNotContain("xdp", ExternalTool.Run("ip", "link", "show", veth.HostSide).Stdout);
        Assert.True(veth.PingHostFromPeer());
    }

    [KernelFact]
    public void Tc_over_clsact_and_cls_bpf_drops_until_detached()
    {
        using var veth = new VethPair();
        using var loaded = LinkFixtures.Load();
        using (var attached = loaded.Program("tcx_drop_icmp").AttachTcx(veth.HostSide, TcxDirection.Ingress, AttachMechanism.Netlink))
        {
            Assert.Contains("cls_bpf", attached.Description);
            Assert.Contains("direct-action", ExternalTool.Run("tc", "filter", "show", "dev", veth.HostSide, "ingress").Stdout);
            Assert.False(veth.PingHostFromPeer());
        }
        Assert.DoesNotContain("bpf", ExternalTool.Run("tc", "filter", "show", "dev", veth.HostSide, "ingress").Stdout);
        Assert.True(veth.PingHostFromPeer());
    }
}
