namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Compiles pcap-filter(7) expressions (what tcpdump takes) for Ethernet frames to classic BPF: the same
    /// decisions as libpcap's pcap_compile on every frame, with its optimizations' effect (tests decided by earlier ones
    /// skipped, values not reloaded, identical blocks shared).</summary>
    public static class PacketFilterCompiler
    {
        /// <summary>What an accepting program returns by default: tcpdump's snapshot length (262,144 bytes).</summary>
        public const uint DefaultAcceptLength = 262144;

        /// <summary>Compiles <paramref name="expression"/>; the program returns <paramref name="acceptLength"/> for a frame
        /// it matches (for a socket filter: bytes to keep) and 0 otherwise. An empty expression matches every frame.</summary>
        /// <exception cref="PacketFilterException">The expression is malformed or uses what this compiler does not
        /// support; the message names the column and what was expected.</exception>
        public static ClassicProgram Compile(string expression, uint acceptLength = DefaultAcceptLength)
        {
            var condition = FilterParser.Parse(expression);
            var entry = FilterGraph.Lower(condition, new ReturnBlock(acceptLength), new ReturnBlock(0));
            return FilterEmitter.Emit(FilterOptimizer.Optimize(entry));
        }
    }
}
