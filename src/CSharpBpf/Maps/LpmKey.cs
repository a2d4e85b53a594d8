using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>The key of an LPM trie (struct bpf_lpm_trie_key): a prefix length in bits, then the data,
/// compared from the most significant bit of its first byte (network order for addresses).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct LpmKey<TData> where TData : unmanaged
{
    /// <summary>The number of leading bits of <see cref="Data"/> that matter.</summary>
    public uint PrefixLength;
    /// <summary>The data, e.g. an IPv4 address in network order.</summary>
    public TData Data;

    /// <summary>A key of <paramref name="prefixLength"/> bits of <paramref name="data"/>.</summary>
    public LpmKey(uint prefixLength, TData data)
    {
        PrefixLength = prefixLength;
        Data = data;
    }
}
