using System;
using System.Linq;
using System.Reflection;
using CSharpBpf.Testing;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>
/// DESIGN.md §4: every corpus program gets the same frames in the kernel (BPF_PROG_TEST_RUN), in our VM,
/// and as plain .NET, and the results (r0 and the packet afterwards) must agree frame by frame. Each
/// runner starts from fresh state and sees the frames in the same order, so stateful programs (maps,
/// globals) are compared too. Programs using maps or helpers the VM does not emulate are compared
/// kernel against .NET; the test asserts which those are, so the set cannot grow unnoticed. After the
/// frames, the maps the program wrote (elements, ring-buffer records) must match between kernel and .NET.
/// </summary>
public sealed class BehaviourTests
{
    private static readonly string[] KernelAndManagedOnly =
    {
        "Calls.ReturnsByRef", "Events.Record", "Firewall.Filter", "Globals.Printk", "Maps.CountByProtocol", "Maps.ExchangeAndCompare", "Maps.LeastRecentlyUsed",
        "Maps.LongestPrefix", "Maps.PerCpuCounter", "Maps.TailCallOrFallThrough", "Maps.UpdateFlags",
        "Packets.KeepUdpOnly", "Packets.StripEthernet", "PacketCounter.Count", "ByteCounter.Count",
    };

    [KernelTheory]
    [MemberData(nameof(CorpusProgram.All), MemberType = typeof(CorpusProgram))]
    public void Kernel_vm_and_dotnet_agree(string objectName, string programName)
    {
        var method = CorpusObjects.Type(objectName).GetMethod(programName, BindingFlags.Public | BindingFlags.Static)!;
        var program = new CorpusProgram(objectName, method);
        var frames = TestFrames.All;

        var (kernel, kernelMaps) = KernelRunner.Run(program, frames);
        var memory = new VmMemory();
        var (code, _) = VmRunner.TryLink(program, memory);
        Assert.Equal(KernelAndManagedOnly.Contains($"{objectName}.{programName}"), code == null);

        for (int i = 0; i < frames.Count; i++)
        {
            var managed = ManagedRunner.Run(program, frames[i]);
            Assert.True(kernel[i] == managed || (kernel[i].ReturnValue == managed.ReturnValue && kernel[i].Packet.AsSpan().SequenceEqual(managed.Packet)),
                $"frame {i} ({System.Convert.ToHexString(frames[i])}): kernel {kernel[i]}, .NET {managed}");
            if (code == null) continue;
            var vm = VmRunner.Run(program, code, memory, frames[i]);
            Assert.True(vm.ReturnValue == kernel[i].ReturnValue && vm.Packet.AsSpan().SequenceEqual(kernel[i].Packet),
                $"frame {i} ({System.Convert.ToHexString(frames[i])}): kernel {kernel[i]}, VM {vm}");
        }
        // The maps and globals the program wrote must hold the same in the kernel and in .NET (each map-using program of the
        // corpus has its own map fields, and each test runs once per process, so the managed maps start empty).
        Assert.Equal(kernelMaps, MapState.Managed(program.ObjectType, MapState.UsedMaps(program), program.ObjectFile));
    }
}
