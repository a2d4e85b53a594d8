using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

/// <summary>What Events.Record sends to user space for each packet.</summary>
public struct PacketRecord
{
    public uint Length;
    public uint EtherType;
}

// A ring buffer written from a program and read from .NET through the skeleton.
[BpfObject]
public static partial class Events
{
    static readonly BpfRingBuffer log = new(sizeBytes: 64 * 1024);

    [Xdp]
    public static XdpAction Record(XdpContext ctx)
    {
        PacketRecord record;
        record.Length = (uint)ctx.Length;
        record.EtherType = ctx.TryRead(0, out EthernetHeader eth) ? (uint)eth.EtherType : 0;
        return log.Output(record) ? XdpAction.Pass : XdpAction.Aborted;
    }
}
