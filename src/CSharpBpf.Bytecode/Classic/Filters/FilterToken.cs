namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>The kinds of token in a pcap-filter(7) expression.</summary>
    internal enum FilterTokenKind
    {
        Name,
        Number,
        Ipv4,
        Ipv6,
        Mac,
        Symbol,
        End,
    }

    /// <summary>One token: its kind, its text (for Number its value too) and its 1-based column.</summary>
    internal readonly struct FilterToken
    {
        public FilterToken(FilterTokenKind kind, string text, int column, uint value = 0)
        {
            Kind = kind;
            Text = text;
            Column = column;
            Value = value;
        }

        public FilterTokenKind Kind { get; }
        public string Text { get; }
        public int Column { get; }
        public uint Value { get; }

        public bool Is(string text) => (Kind == FilterTokenKind.Name || Kind == FilterTokenKind.Symbol) && Text == text;

        public string Describe() => Kind == FilterTokenKind.End ? "the end of the expression" : $"'{Text}'";
    }
}
