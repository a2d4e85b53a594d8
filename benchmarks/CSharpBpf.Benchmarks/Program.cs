using BenchmarkDotNet.Running;

namespace CSharpBpf.Benchmarks;

/// <summary>`compiler` runs the compiler-against-clang comparison; anything else goes to BenchmarkDotNet's switcher.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "compiler") return CompilerComparison.Run();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
