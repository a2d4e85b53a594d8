namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The kernel functions (kfuncs) the compiler calls: the open-coded numeric iterator behind
    /// <c>foreach (int i in Bpf.Range(from, to))</c> (kernel/bpf/bpf_iter.c, Linux 6.4+).</summary>
    internal static class KernelFunctions
    {
        public const string IterNumNew = "bpf_iter_num_new";
        public const string IterNumNext = "bpf_iter_num_next";
        public const string IterNumDestroy = "bpf_iter_num_destroy";

        public static bool IsKernelFunction(string name) => name is IterNumNew or IterNumNext or IterNumDestroy;

        /// <summary>True for those returning a maybe-null pointer.</summary>
        public static bool ReturnsPointer(string name) => name == IterNumNext;
    }
}
