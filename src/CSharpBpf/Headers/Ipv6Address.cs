using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>A 16-byte IPv6 address, in network order.</summary>
[InlineArray(16)]
public struct Ipv6Address
{
    private byte _element;

    /// <summary>The address in standard notation.</summary>
    public override readonly string ToString() => new System.Net.IPAddress((System.ReadOnlySpan<byte>)this).ToString();
}
