using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>
/// The whole road a user takes: a new console project whose only dependency is the CSharpBpf package
/// (packed from this build into a private feed) holds the firewall of DESIGN.md §2; `dotnet build`
/// compiles it to bin/…/bpf/Firewall.bpf.o, which bpftool loads, and the program's skeleton drops
/// the blocked address in BPF_PROG_TEST_RUN.
/// </summary>
public sealed class NewProjectTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("csharpbpf-new-project-").FullName;

    [KernelFact]
    public void Firewall_console_project_builds_an_object_bpftool_loads_and_that_drops_the_blocked_address()
    {
        var (app, isolated) = NewProject("app");
        foreach (var file in new[] { "Firewall.csproj", "Firewall.cs", "Program.cs" })
            File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", file), Path.Combine(app, file));

        var build = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
        string obj = Path.Combine(app, "bin", "Release", "net10.0", "bpf", "Firewall.bpf.o");
        Assert.True(File.Exists(obj), $"the build did not write {obj}:\n{build.Stdout}");

        // A no-op build leaves the object alone (issue #15: the target declares its inputs and outputs).
        var written = File.GetLastWriteTimeUtc(obj);
        var again = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release", "-v:d").EnsureSuccess();
        Assert.Equal(written, File.GetLastWriteTimeUtc(obj));
        Assert.Contains("Skipping target \"CSharpBpfWriteObjects\" because all output files are up-to-date", again.Stdout);

        string pin = "/sys/fs/bpf/csharpbpf-new-project-" + Environment.ProcessId;
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", obj, pin).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(pin, "Filter")), "bpftool pinned no program 'Filter'");
        }
        finally
        {
            if (Directory.Exists(pin)) Directory.Delete(pin, recursive: true);
        }

        var run = ExternalTool.Run(isolated, "dotnet", "run", "-c", "Release", "--no-build").EnsureSuccess();
        Assert.Contains("from 10.0.0.1: Drop", run.Stdout);
        Assert.Contains("from 10.0.0.2: Pass", run.Stdout);
        Assert.Contains("drops counted for 10.0.0.1: 1", run.Stdout);
    }

    /// <summary>Issue #16: with &lt;BpfVerifyOnBuild&gt; the build loads each object into the kernel's verifier and a refusal
    /// fails the build at the C# line, with the verifier's reason; an object the verifier accepts builds.</summary>
    [KernelFact]
    public void Verify_on_build_reports_a_verifier_refusal_at_the_csharp_line()
    {
        var (app, isolated) = NewProject("verify");
        string project = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", "Firewall.csproj"))
            .Replace("</PropertyGroup>", "<BpfVerifyOnBuild>true</BpfVerifyOnBuild></PropertyGroup>");
        File.WriteAllText(Path.Combine(app, "Verify.csproj"), project);
        // Loops of 40 and 30 through calls: the compiler's estimates of the verifier's work (BPF0037, BPF0038) stay below the
        // lines they report from, as they do not count the states Classify's five returns leave apart; but the verifier,
        // following every path of every iteration, gives up (Linux 6.18: 8,193 pending jumps).
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using CSharpBpf;

            [BpfObject]
            public static partial class Long
            {
                static int Classify(uint v) => (int)(v & 31) switch { 1 => 10, 2 => 20, 3 => 30, >= 4 and < 9 => 40, _ => 0 };
                static int Scan(uint v) { int hits = 0; for (int i = 0; i < 30; i++) { if (((v >> (i & 31)) & 1) != 0) hits += Classify(v + (uint)i); } return hits; }

                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    if (!ctx.TryRead(0, out uint seed)) return XdpAction.Pass;
                    int count = 0;
                    for (int k = 0; k < 40; k++) count += Scan(seed ^ (uint)k) + Scan(seed + (uint)k);
                    return (XdpAction)(count & 1);
                }
            }

            public static class Program { public static void Main() { } }
            """);
        var refused = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Matches(@"Program\.cs\(([6-9]|1[0-6])\): error BPF0900: the kernel verifier refused Long\.bpf\.o: (BPF program is too large|The sequence of 8193 jumps is too complex)", refused.Stdout);
        Assert.Contains("foreach (int i in Bpf.Range(from, to))", refused.Stdout);

        // The method the loop calls as a global function, which the verifier checks once, on its own.
        File.WriteAllText(Path.Combine(app, "Program.cs"), File.ReadAllText(Path.Combine(app, "Program.cs")).Replace("static int Scan(", "[BpfGlobalFunction] public static int Scan("));
        var accepted = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
        Assert.Contains("the kernel verifier accepts", accepted.Stdout);
    }

    /// <summary>Issue #23: &lt;BpfTargetKernel&gt;6.1 fails the build at the line of a 6.4 feature (Bpf.Range's open-coded
    /// iterator), saying what to write; for 6.6 the same project builds.</summary>
    [Fact]
    public void A_feature_newer_than_the_target_kernel_fails_the_build_at_its_line()
    {
        var (app, isolated) = NewProject("target");
        string project = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", "Firewall.csproj"))
            .Replace("</PropertyGroup>", "<BpfTargetKernel>6.1</BpfTargetKernel></PropertyGroup>");
        File.WriteAllText(Path.Combine(app, "Target.csproj"), project);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using CSharpBpf;

            [BpfObject]
            public static partial class Counted
            {
                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    long count = 0;
                    foreach (int i in Bpf.Range(0, 5000)) count += i & 1;
                    return (XdpAction)(count & 1);
                }
            }

            public static class Program { public static void Main() { } }
            """);
        var refused = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Matches(@"Program\.cs\(10,\d+\): error BPF0036: Bpf\.Range's open-coded iterator .* needs Linux 6\.4 or later, and the target kernel \(<BpfTargetKernel>\) is 6\.1: write a for loop", refused.Stdout);

        File.WriteAllText(Path.Combine(app, "Target.csproj"), project.Replace("<BpfTargetKernel>6.1<", "<BpfTargetKernel>6.6<"));
        ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
    }

    /// <summary>Issue #14: &lt;BpfKernelTypes&gt; writes [KernelType] structs from a BTF file kept in the project before the
    /// compiler runs, so a program reads task_struct through CO-RE with nothing generated by hand; a type the file lacks
    /// fails the build with BPF0901 naming it.</summary>
    [KernelFact]
    public void Kernel_types_come_from_a_btf_file_in_the_project_at_build_time()
    {
        var (app, isolated) = NewProject("kernel-types");
        File.Copy("/sys/kernel/btf/vmlinux", Path.Combine(app, "vmlinux.btf"));
        File.WriteAllText(Path.Combine(app, "Parent.csproj"), File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", "Firewall.csproj"))
            .Replace("</Project>", """
                  <ItemGroup>
                    <BpfKernelTypes Include="vmlinux.btf" Types="task_struct" Namespace="Parent.Kernel" />
                  </ItemGroup>
                </Project>
                """));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using CSharpBpf;
            using Parent.Kernel;

            [BpfObject]
            public static partial class ParentProbe
            {
                static readonly BpfArray<int> Parents = new(maxEntries: 1);
                static readonly int TargetPid = 0;

                [Tracepoint("syscalls", "sys_enter_getppid")]
                public static int OnGetppid(TracepointContext ctx)
                {
                    if ((int)(Bpf.GetCurrentPidTgid() >> 32) != TargetPid) return 0;
                    ref int parent = ref Parents.GetValueRefOrNullRef(0);
                    if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref parent)) return 0;
                    parent = Bpf.GetCurrentTask<TaskStruct>().Value.RealParent.Value.Tgid;
                    return 0;
                }
            }

            public static class Program
            {
                public static void Main()
                {
                    var spec = ParentProbe.Open();
                    spec.TargetPid = System.Environment.ProcessId;
                    using var probe = spec.Load();
                    using (probe.OnGetppid.Attach()) System.Console.WriteLine("getppid: " + getppid());
                    System.Console.WriteLine("through CO-RE: " + probe.Parents[0]);
                }

                [System.Runtime.InteropServices.DllImport("libc")] static extern int getppid();
            }
            """);
        ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
        Assert.True(File.Exists(Path.Combine(app, "obj", "Release", "net10.0", "bpf-kernel-types", "vmlinux.KernelTypes.g.cs")));
        var run = ExternalTool.Run(isolated, "dotnet", "run", "-c", "Release", "--no-build").EnsureSuccess();
        string parent = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"getppid: (\d+)").Groups[1].Value;
        Assert.Contains("through CO-RE: " + parent, run.Stdout);

        File.WriteAllText(Path.Combine(app, "Parent.csproj"), File.ReadAllText(Path.Combine(app, "Parent.csproj")).Replace("task_struct", "task_struct,csbpf_no_such_type"));
        var refused = ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error BPF0901: kernel types from vmlinux.btf: the BTF has no struct, union, enum or typedef named 'csbpf_no_such_type'", refused.Stdout);
    }

    /// <summary>Issue #15: the code fixes support Fix All, so `dotnet format analyzers` fixes every occurrence in a project.</summary>
    [Fact]
    public void Dotnet_format_applies_the_code_fixes_to_every_occurrence()
    {
        var (app, isolated) = NewProject("format");
        File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "Firewall", "Firewall.csproj"), Path.Combine(app, "Format.csproj"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using CSharpBpf;

            [BpfObject]
            public static partial class Counters
            {
                static readonly BpfHashMap<uint, ulong> hits = new(maxEntries: 16);

                [Xdp]
                public static XdpAction Count(XdpContext ctx)
                {
                    ref ulong count = ref hits.GetValueRefOrNullRef(ctx.IngressIfindex);
                    count += 1;
                    return XdpAction.Pass;
                }

                [TrafficControl]
                public static TcAction Mark(SkBuff skb)
                {
                    ref ulong seen = ref hits.GetValueRefOrNullRef(skb.Length);
                    seen = 7;
                    return TcAction.Ok;
                }
            }

            public static class Program { public static void Main() { } }
            """);
        Assert.NotEqual(0, ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").ExitCode); // BPF0015 twice

        ExternalTool.Run(isolated, "dotnet", "format", "analyzers", "--diagnostics", "BPF0015", "--severity", "error").EnsureSuccess();
        string fixedSource = File.ReadAllText(Path.Combine(app, "Program.cs"));
        Assert.Contains("if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count)) return XdpAction.Pass;", fixedSource);
        Assert.Contains("if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref seen)) return TcAction.Ok;", fixedSource);
        ExternalTool.Run(isolated, "dotnet", "build", "-c", "Release").EnsureSuccess();
    }

    /// <summary>An empty project directory whose only package source is this build's CSharpBpf package, and the options
    /// that build there with a private package folder (so this build's package is used, not one cached earlier).</summary>
    private (string Directory, ExternalTool.Options Options) NewProject(string name)
    {
        string feed = Path.Combine(_directory, "feed");
        var quiet = PackageFeed.Quiet;
        if (!Directory.Exists(feed)) PackageFeed.PackLibrary(feed);
        string app = Path.Combine(_directory, name);
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        return (app, quiet with { WorkingDirectory = app, Environment = new[] { ("NUGET_PACKAGES", Path.Combine(_directory, "packages")), ("DOTNET_NOLOGO", "1") } });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
