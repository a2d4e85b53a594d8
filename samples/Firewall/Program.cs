using FirewallSample;

// Load the object the build compiled, block 10.0.0.1, and run two packets through the kernel.
using var fw = Firewall.Load();
fw.Blocked[0x0a000001] = 0;

foreach (uint source in new uint[] { 0x0a000001, 0x0a000002 })
{
    var result = fw.Filter.TestRun(Ipv4Frame(source));
    Console.WriteLine($"from {source >> 24}.{(source >> 16) & 255}.{(source >> 8) & 255}.{source & 255}: {(CSharpBpf.XdpAction)result.ReturnValue}");
}
Console.WriteLine($"drops counted for 10.0.0.1: {fw.Blocked[0x0a000001]}");

// Ethernet + IPv4 header (UDP, no payload) from the given source address.
static byte[] Ipv4Frame(uint source)
{
    var frame = new byte[14 + 20];
    frame[12] = 0x08; // EtherType IPv4
    frame[14] = 0x45; // version 4, 20-byte header
    frame[16 + 1] = 20; // total length
    frame[14 + 8] = 64; // TTL
    frame[14 + 9] = 17; // UDP
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(14 + 12), source);
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(14 + 16), 0x0a000063);
    return frame;
}
