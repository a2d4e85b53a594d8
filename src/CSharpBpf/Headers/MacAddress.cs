using System;
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
        ReadOnlySpan<byte> bytes = this;
        Span<char> text = stackalloc char[17];
        for (int i = 0; i < 6; i++)
        {
            if (i > 0) text[i * 3 - 1] = ':';
            bytes[i].TryFormat(text.Slice(i * 3, 2), out _, "x2");
        }
        return new string(text);
    }
}
