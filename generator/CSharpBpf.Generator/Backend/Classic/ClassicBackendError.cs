namespace CSharpBpf.Generator.Backend.Classic
{
    /// <summary>What classic BPF cannot express, at the source line it came from (0 when unknown): the construct and what
    /// to write instead. The compiler turns it into BPF0034 at that line.</summary>
    internal sealed class ClassicBackendError : System.Exception
    {
        public ClassicBackendError(int line, string construct, string advice)
            : base($"{construct}: {advice}")
        {
            Line = line;
            Construct = construct;
            Advice = advice;
        }

        public int Line { get; }
        public string Construct { get; }
        public string Advice { get; }
    }
}
