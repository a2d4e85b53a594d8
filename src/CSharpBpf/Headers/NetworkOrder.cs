using System;
using System.Buffers.Binary;

namespace CSharpBpf;

/// <summary>Wire (big-endian) ↔ host order for the header properties: the swap is its own inverse, so one
/// method serves both directions. The compiler never calls these; it reads [BpfField] instead.</summary>
internal static class NetworkOrder
{
    public static ushort Swap(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    public static uint Swap(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
