using System.Linq;
using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>A 6-byte Ethernet address.</summary>
[InlineArray(6)]
public struct MacAddress
{
    private byte _element;

    /// <summary>aa:bb:cc:dd:ee:ff.</summary>
    public override readonly string ToString()
    {
        var bytes = (System.ReadOnlySpan<byte>)this;
        return string.Join(":", bytes.ToArray().Select(b => b.ToString("x2")));
    }
}
