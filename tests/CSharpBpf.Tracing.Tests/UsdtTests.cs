using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>
/// [Usdt] programs on tests/fixtures/c/usdt.c, built here by gcc and clang at -O0 and -O2 so the probes' arguments sit
/// in every place sys/sdt.h describes: registers (-4@%eax), constants (-2@$-300), stack memory (-8@-16(%rbp)), and
/// base + index × scale (-8@(%rdx,%r8,8)). The binary waits for its semaphore, so it fires only if attaching enabled it.
/// </summary>
public sealed class UsdtTests
{
    private static readonly ConcurrentDictionary<string, string> Binaries = new();

    /// <summary>The fixture compiled by <paramref name="compiler"/> (e.g. "gcc -O2") into a directory of its own.</summary>
    internal static string Binary(string compiler) => Binaries.GetOrAdd(compiler, _ =>
    {
        string dir = Directory.CreateTempSubdirectory("csbpf-usdt-").FullName;
        string path = Path.Combine(dir, "usdt");
        var parts = compiler.Split(' ');
        ExternalTool.Run(parts[0], parts[1], "-o", path, Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "usdt.c")).EnsureSuccess();
        return path;
    });

    public static TheoryData<string> Compilers => new() { "gcc -O0", "gcc -O2", "clang -O0", "clang -O2" };

    [KernelTheory]
    [MemberData(nameof(Compilers))]
    public void Usdt_arguments_read_in_the_kernel_are_the_values_the_C_program_passed(string compiler)
    {
        string binary = Binary(compiler);
        var sites = UsdtProbe.Read(binary);
        using var probes = UsdtProbes.Load();
        ExternalTool.Result run;
        using (probes.OnFired.AttachUsdt(binary, "csbpf", "fired"))
        using (probes.OnIndexed.AttachUsdt(binary, "csbpf", "indexed"))
            run = ExternalTool.Run(binary, "5");
        Assert.True(run.ExitCode == 0, $"{compiler}: {run.Stderr} (probes: {string.Join("; ", sites.Select(s => s.ArgumentText))})");

        var events = new List<UsdtEvent>();
        while (probes.Events.Poll(record => events.Add(MemoryMarshal.Read<UsdtEvent>(record))) > 0) { }
        var fired = events.Where(e => e.Probe == 1).OrderBy(e => e.B).ToList();
        var indexed = events.Where(e => e.Probe == 2).OrderBy(e => e.A).ToList();
        string operands = string.Join(" | ", sites.Select(s => s.ArgumentText));
        Assert.True(fired.Count == 5, $"{compiler}: {fired.Count} firings of csbpf:fired ({operands})");
        Assert.True(indexed.Count == 5, $"{compiler}: {indexed.Count} firings of csbpf:indexed ({operands})");
        for (int i = 0; i < 5; i++)
        {
            var e = fired[i];
            // fire(i): int a = -5 - i; long b = 2^40 + i; short c = -300; unsigned char d = 200; unsigned e = 4e9 + i; &p; 42.
            var expected = (A: -5L - i, B: (1L << 40) + i, C: -300L, D: 200L, E: 4000000000L + i, Constant: 42L, Count: 7, Missing: 0L, X: 7L, Y: -9L);
            var actual = (e.A, e.B, e.C, e.D, e.E, e.Constant, Count: e.ArgCount, e.Missing, e.Point.X, e.Point.Y);
            Assert.True(expected == actual, $"{compiler} firing {i}: expected {expected}, read {actual} from {operands}");
            Assert.Equal((0L + i, 1000L + i * i, 2), (indexed[i].A, indexed[i].B, indexed[i].ArgCount));
        }
        Assert.Single(events.Select(e => e.Pid).Distinct());
        Assert.NotEqual((uint)Environment.ProcessId, events[0].Pid);
    }

    [KernelFact]
    public void Libbpf_attaches_the_object_with_its_own_usdt_support_and_the_program_reads_the_same_values()
    {
        // The spec map and decoder follow libbpf's usdt.bpf.h, so libbpf's bpf_program__attach_usdt fills the map and the
        // C#-compiled decoder reads it: the object is a libbpf USDT object, not only ours.
        string dir = Directory.CreateTempSubdirectory("csbpf-usdt-libbpf-").FullName;
        string loader = Path.Combine(dir, "usdt-libbpf"), obj = Path.Combine(dir, "UsdtProbes.bpf.o"), binary = Binary("gcc -O2");
        ExternalTool.Run("cc", "-o", loader, Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "usdt-libbpf.c"), "-lbpf").EnsureSuccess();
        File.WriteAllBytes(obj, UsdtProbes.ObjectFile);
        var run = ExternalTool.Run(loader, obj, "OnFired", binary, "csbpf", "fired", "--", binary, "3").EnsureSuccess();
        var events = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("fired ", StringComparison.Ordinal)) // the binary's own line
            .Select(line => MemoryMarshal.Read<UsdtEvent>(Convert.FromHexString(line))).OrderBy(e => e.B).ToList();
        Assert.Equal(3, events.Count);
        for (int i = 0; i < 3; i++)
            Assert.Equal((-5L - i, (1L << 40) + i, -300L, 200L, 4000000000L + i, 42L, 7, 7L, -9L),
                (events[i].A, events[i].B, events[i].C, events[i].D, events[i].E, events[i].Constant, events[i].ArgCount, events[i].Point.X, events[i].Point.Y));
    }

    [KernelFact]
    public void Attaching_sets_the_probe_semaphore_and_detaching_clears_it()
    {
        string binary = Binary("gcc -O0");
        using var probes = UsdtProbes.Load();
        // Unattached, the binary waits 50 ms for its semaphore and gives up.
        var before = ExternalTool.Run(binary, "1", "50");
        Assert.Equal(2, before.ExitCode);
        using (var link = probes.OnFired.AttachUsdt(binary, "csbpf", "fired"))
        {
            Assert.Contains("(2 sites)", link.Description);
            Assert.Equal(0, ExternalTool.Run(binary, "1", "5000").ExitCode);
        }
        Assert.Equal(2, ExternalTool.Run(binary, "1", "50").ExitCode);
    }

    [KernelFact]
    public void Attaching_to_a_probe_the_binary_lacks_names_the_probes_it_has()
    {
        using var probes = UsdtProbes.Load();
        var e = Assert.Throws<ArgumentException>(() => probes.OnFired.AttachUsdt(Binary("gcc -O2"), "csbpf", "absent"));
        Assert.Contains("has no USDT probe csbpf:absent", e.Message);
        Assert.Contains("csbpf:fired, csbpf:indexed", e.Message);
    }

    [Fact]
    public void The_program_reads_a_probe_the_same_as_plain_dotnet()
    {
        // As plain .NET, UsdtContext holds the values; the kernel test above shows the compiled program reads the same.
        var context = new UsdtContext(-5, 1L << 40, -300, 200, 4000000000, 0, 42);
        Assert.Equal(7, context.ArgCount);
        Assert.Equal(-300, context.Arg(2));
        Assert.Equal(0, context.Arg(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => context.Arg(12));
    }
}
