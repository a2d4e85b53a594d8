using System;
using CSharpBpf.Testing;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>
/// Issue #16's promise, measured: random programs in the dialect, built by the real generator, either refused with a
/// diagnostic or loaded by the kernel and agreeing with plain .NET (and the VM) on every frame, global and map.
/// A longer run: <c>CSBPF_FUZZ_PROGRAMS=10000 CSBPF_FUZZ_SEED=7 dotnet test tests/CSharpBpf.Compiler.Tests -c Release
/// --filter FullyQualifiedName~FuzzTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [KernelFact]
    public void Random_programs_build_clean_load_and_agree_with_dotnet()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_PROGRAMS"), out int n) ? n : 300;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_SEED"), out int s) ? s : 20261201;
        var report = FuzzCampaign.Run(seed, count, progress: line => Console.WriteLine($"fuzz seed {seed}: {line}"));
        output.WriteLine($"seed {seed}: {report.Summary()}");
        Assert.True(report.FalseClean == 0 && report.Mismatches == 0 && report.GeneratorErrors == 0, report.Describe());
        Assert.True(report.Counts[FuzzOutcome.Agreed] >= count * 3 / 4, "most programs in the dialect must build clean: " + report.Summary());
    }
}
