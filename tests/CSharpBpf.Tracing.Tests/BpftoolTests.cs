using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>The tracing objects load in bpftool (libbpf) unchanged, every program pinned.</summary>
public sealed class BpftoolTests
{
    public static IEnumerable<object[]> Objects() => new[]
    {
        new object[] { "OpenTracer", new[] { "OnOpenat" } },
        new object[] { "SyscallCounter", new[] { "OnSysEnter" } },
        new object[] { "AdderProbes", new[] { "OnAdd", "OnAddReturn" } },
        new object[] { "KernelProbes", new[] { "OnOpen", "OnOpenReturn" } },
        new object[] { "SyscallLatency", new[] { "OnEnter", "OnExit" } },
        new object[] { "LoggingProbes", new[] { "Baseline", "WithBpfLog", "WithPrintk" } },
        new object[] { "UsdtProbes", new[] { "OnFired", "OnIndexed" } },
        new object[] { "CoreProbes", new[] { "OnGetppid" } }, // libbpf resolves its CO-RE relocations itself
    };

    private static byte[] ObjectFile(string name) => name switch
    {
        "OpenTracer" => OpenTracer.ObjectFile,
        "SyscallCounter" => SyscallCounter.ObjectFile,
        "AdderProbes" => AdderProbes.ObjectFile,
        "KernelProbes" => KernelProbes.ObjectFile,
        "SyscallLatency" => SyscallLatency.ObjectFile,
        "UsdtProbes" => UsdtProbes.ObjectFile,
        "CoreProbes" => CoreProbes.ObjectFile,
        _ => LoggingProbes.ObjectFile,
    };

    [KernelTheory]
    [MemberData(nameof(Objects))]
    public void Bpftool_loads_every_program(string name, string[] programs)
    {
        string obj = Path.Combine(Directory.CreateTempSubdirectory("csbpf-tracing-").FullName, name + ".bpf.o");
        File.WriteAllBytes(obj, ObjectFile(name));
        string pins = $"/sys/fs/bpf/csbpf-tracing-{name}-{Environment.ProcessId}";
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", obj, pins).EnsureSuccess();
            foreach (string program in programs) Assert.True(File.Exists(Path.Combine(pins, program)), $"{program} is pinned");
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    [KernelFact]
    public void Programs_loaded_by_CSharpBpf_carry_their_CSharp_lines_for_bpftool()
    {
        // Loaded by our loader with func_info and line_info: bpftool prints the C# source next to the instructions.
        using var tracer = OpenTracer.Load();
        var info = tracer.OnOpenat.Info();
        var dump = ExternalTool.Run("bpftool", "prog", "dump", "xlated", "id", info.Id.ToString(), "linum").EnsureSuccess().Stdout;
        Assert.Contains("ref OpenEvent e = ref Events.Reserve<OpenEvent>();", dump);
        Assert.Matches(@"\[file:\S*OpenTracer\.cs line_num:\d+ line_col:\d+\]", dump);
        var functions = ExternalTool.Run("bpftool", "prog", "show", "id", info.Id.ToString()).EnsureSuccess().Stdout;
        Assert.Contains("btf_id", functions);
    }
}
