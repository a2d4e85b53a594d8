namespace CSharpBpf;

public static partial class Bpf
{
    /// <summary>
    /// The integers <paramref name="from"/> … <paramref name="to"/> − 1, for <c>foreach (int i in Bpf.Range(from, to))</c>:
    /// a loop the kernel verifies once however many times it runs. The compiler lowers it to an open-coded numeric iterator
    /// (<c>bpf_iter_num_new</c>/<c>_next</c>/<c>_destroy</c>, libbpf's <c>bpf_for</c>; kernel 6.4 or later, GPL-compatible
    /// license), where a <c>for</c> loop is walked by the verifier once per iteration and every path through its body —
    /// what exhausts its 1,000,000-instruction budget for long loops or loops that branch on data.
    /// </summary>
    /// <remarks>As in the kernel (kernel/bpf/bpf_iter.c, bpf_iter_num_new): the range is empty when
    /// <paramref name="from"/> &gt; <paramref name="to"/> or when it holds more than 8,388,608 (BPF_MAX_LOOPS) numbers.
    /// Inside the loop the verifier knows only that <c>i</c> lies in the range, not its value: values computed from it are
    /// checked like any unknown value.</remarks>
    /// <param name="from">The first number.</param>
    /// <param name="to">One past the last number.</param>
    public static BpfRange Range(int from, int to) => new(from, to);
}

/// <summary>The half-open integer range <see cref="Bpf.Range"/> gives, enumerable by <c>foreach</c>.</summary>
public readonly struct BpfRange
{
    /// <summary>The most numbers one range holds (BPF_MAX_LOOPS, include/linux/bpf.h): a longer one is empty.</summary>
    public const int MaxLength = 1 << 23;

    internal BpfRange(int from, int to)
    {
        From = from;
        To = to;
    }

    /// <summary>The first number.</summary>
    public int From { get; }
    /// <summary>One past the last number.</summary>
    public int To { get; }

    /// <summary>An enumerator over the range (empty when <see cref="From"/> &gt; <see cref="To"/> or the range is longer than <see cref="MaxLength"/>).</summary>
    public Enumerator GetEnumerator() => new(From, To);

    /// <summary>Enumerates a <see cref="BpfRange"/>, with the kernel's <c>bpf_iter_num</c> semantics.</summary>
    public struct Enumerator
    {
        private readonly int _to;
        private long _next;

        internal Enumerator(int from, int to)
        {
            bool empty = from > to || (long)to - from > MaxLength;
            _next = empty ? 0 : from;
            _to = empty ? 0 : to;
            Current = 0;
        }

        /// <summary>The current number.</summary>
        public int Current { get; private set; }

        /// <summary>Steps to the next number; false after the last.</summary>
        public bool MoveNext()
        {
            if (_next >= _to) return false;
            Current = (int)_next++;
            return true;
        }
    }
}
