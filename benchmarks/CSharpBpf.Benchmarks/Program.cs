using BenchmarkDotNet.Running;

namespace CSharpBpf.Benchmarks;

/// <summary>`compiler [--keep-objects DIR]` runs the compiler-against-clang comparison (keeping both objects in DIR for
/// `csbpf dump`), `loader` the loader-against-bpftool one, `analyzers` the analyzers' timing, `logging` BpfLog against
/// Bpf.Printk, `classic` our classic BPF compiler and interpreter against libpcap, `verifier-cost` the paired corpus's
/// verifier work on each kernel of the matrix; anything else goes to BenchmarkDotNet's switcher.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "loader") return LoaderComparison.Run();
        if (args.Length > 0 && args[0] == "analyzers") return AnalyzerTiming.Run();
        if (args.Length > 0 && args[0] == "logging") return LoggingComparison.Run();
        if (args.Length > 0 && args[0] == "classic") return ClassicComparison.Run();
        if (args.Length > 0 && args[0] == "verifier-cost") return VerifierCost.Run(args);
        if (args.Length > 0 && args[0] == "compiler") return CompilerComparison.Run(args.Length > 2 && args[1] == "--keep-objects" ? args[2] : null);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
