using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Classic;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Classic;

/// <summary>Our validator, interpreter and filter compiler against the kernel: the kernel judges random programs at
/// SO_ATTACH_FILTER, and runs tcpdump's, our compiler's and random programs as socket filters on frames crossing a
/// veth pair, where it moves VLAN tags out of the frame before any filter runs (so programs compiled for capture files
/// see tagged frames differently there: the interpreter is given the same packet the kernel's filter sees).</summary>
public sealed class ClassicKernelTests
{
    [KernelFact]
    public void The_validator_accepts_exactly_what_the_kernel_accepts()
    {
        var random = new Random(20261201);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        int accepted = 0, refused = 0;
        var disagreements = new List<string>();
        for (int n = 0; n < 3000; n++)
        {
            var program = RandomClassicPrograms.Mutant(random);
            var errors = program.Validate();
            bool kernel;
            try
            {
                NativeNetwork.AttachClassicFilter(socket, program.Encode(), program.Count);
                kernel = true;
            }
            catch (BpfException e) when (e.Errno == 22)
            {
                kernel = false;
            }
            if (kernel != (errors.Count == 0))
                disagreements.Add($"kernel {(kernel ? "accepts" : "refuses")}, we {(errors.Count == 0 ? "accept" : "refuse: " + string.Join("; ", errors))}\n{program.ToDecimal()}");
            if (kernel) accepted++; else refused++;
        }
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements; the first:\n{disagreements.FirstOrDefault()}");
        Assert.True(accepted > 500 && refused > 500, $"the mutants must test both answers: {accepted} accepted, {refused} refused");
    }

    [KernelFact]
    public void Tcpdump_filters_keep_in_the_kernel_what_the_interpreter_keeps()
    {
        var programs = Tcpdump.Expressions.Select(e => (e, ClassicProgram.Parse(Tcpdump.Compile(e, "lo").Decimal)));
        AssertKernelAgrees(programs, FrameCorpus.Generate(400, seed: 1));
    }

    [KernelFact]
    public void Our_compiled_filters_keep_in_the_kernel_what_the_interpreter_keeps()
    {
        var programs = Tcpdump.Expressions.Select(e => (e, PacketFilterCompiler.Compile(e)));
        AssertKernelAgrees(programs, FrameCorpus.Generate(400, seed: 3));
    }

    [KernelFact]
    public void Random_programs_compute_in_the_kernel_what_the_interpreter_computes()
    {
        var random = new Random(7);
        var programs = Enumerable.Range(0, 250).Select(i => ($"random program {i}", RandomClassicPrograms.Valid(random)));
        AssertKernelAgrees(programs, FrameCorpus.Generate(150, seed: 2));
    }

    /// <summary>Each program filters every frame on a packet socket at the receiving end of a veth pair; what the socket
    /// receives (which frames, how many bytes of each: min(return value, length)) must be what the interpreter says.</summary>
    private static void AssertKernelAgrees(IEnumerable<(string Name, ClassicProgram Program)> programs, List<byte[]> frames)
    {
        using var tap = new PacketTap();
        using var pin = new CpuPin(); // frames sent from one CPU are received in order on it
        using var receiver = tap.OpenReceiver();
        using var sentinel = tap.OpenReceiver();
        var packets = frames.Select(f => ClassicPacket.Ethernet(f, tap.ReceiverAddress) with { InterfaceIndex = tap.ReceiverIndex }).ToList();
        var buffer = new byte[4096];
        int kept = 0, compared = 0;
        foreach (var (name, program) in programs)
        {
            var interpreter = new ClassicInterpreter(program);
            receiver.AttachFilter(program);
            Drain(sentinel, buffer);
            var expected = new List<(int Frame, byte[] Bytes)>();
            for (int i = 0; i < frames.Count; i++)
            {
                uint result = interpreter.Run(packets[i]);
                if (result != 0) expected.Add((i, packets[i].Data.Span[..(int)Math.Min(result, (uint)packets[i].Data.Length)].ToArray()));
                tap.Send(frames[i]);
            }
            var marker = new byte[] { 2, 0xc5, 0xb9, 0xf0, 0, 1, 2, 0xc5, 0xb9, 0xf0, 0, 2, 0x88, 0xb5 }.Concat(new byte[50]).ToArray();
            tap.Send(marker);
            WaitFor(sentinel, buffer, marker);
            var received = new List<byte[]>();
            while (TryReceive(receiver, buffer, out int length))
                if (!(length >= 14 && buffer.AsSpan(0, 14).SequenceEqual(marker.AsSpan(0, 14)))) received.Add(buffer[..length]);
            for (int j = 0; j < Math.Max(expected.Count, received.Count); j++)
            {
                if (j < expected.Count && j < received.Count && expected[j].Bytes.AsSpan().SequenceEqual(received[j])) continue;
                string want = j < expected.Count ? $"frame {expected[j].Frame} ({expected[j].Bytes.Length} bytes kept)" : "nothing more";
                string got = j < received.Count ? $"{received[j].Length} bytes starting {Convert.ToHexString(received[j].AsSpan(0, Math.Min(24, received[j].Length)))}" : "nothing more";
                Assert.Fail($"{name}: the interpreter keeps {want}, the kernel delivered {got} (delivery {j})\n{program.ToListing()}");
            }
            kept += expected.Count;
            compared += frames.Count;
        }
        Assert.True(kept > compared / 20 && kept < compared - compared / 20, $"the frames must test both answers: {kept} kept of {compared}");
    }

    private static void WaitFor(Socket socket, byte[] buffer, byte[] marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.Poll(100_000, SelectMode.SelectRead)) continue;
            while (TryReceive(socket, buffer, out int length))
                if (length == marker.Length && buffer.AsSpan(0, length).SequenceEqual(marker)) return;
        }
        throw new TimeoutException("the marker frame never arrived at the receiving end of the veth pair");
    }

    private static void Drain(Socket socket, byte[] buffer)
    {
        while (TryReceive(socket, buffer, out _)) { }
    }

    private static bool TryReceive(Socket socket, byte[] buffer, out int length)
    {
        length = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
        return error == SocketError.Success;
    }
}
