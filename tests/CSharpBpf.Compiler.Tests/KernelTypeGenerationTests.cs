using System;
using System.Linq;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using CSharpBpf.Tracing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Kernel types written from this kernel's BTF (csbpf btf generate's KernelTypeWriter) compile as C#, and a
/// program reading through them builds into an object whose BTF and CO-RE relocations the kernel accepts.</summary>
public sealed class KernelTypeGenerationTests
{
    private static readonly Lazy<string> Generated = new(() => KernelTypeWriter.Write(KernelBtf.Types, new[] { "task_struct", "file", "cgroup_subsys_id" }, "Kernel", "vmlinux",
        tracepoints: new[] { "sched_switch", "sched_wakeup" }, functions: new[] { "do_sys_openat2" }));

    private const string Program = """
        using System.Runtime.CompilerServices;
        using CSharpBpf;
        using Kernel;

        public struct Seen
        {
            public int Pid, Ppid, State;
            public uint FileMode;
            public ByteArray16 Comm;
        }

        [BpfObject]
        public static partial class TaskReader
        {
            static readonly BpfArray<Seen> Last = new(maxEntries: 1);

            [BtfTracepoint("sched_switch")]
            public static int OnSwitch(TracingContext<SchedSwitchArgs> ctx)
            {
                ref Seen seen = ref Last.GetValueRefOrNullRef(0);
                if (!Unsafe.IsNullRef(ref seen)) seen.Pid = ctx.Args.Next.Value.Tgid;
                return 0;
            }

            [BtfTracepoint("sched_wakeup")]
            public static int OnWakeup(TracingContext<SchedWakeupArgs> ctx) => ctx.Args.Task.Value.Pid > 0 ? 0 : 1;

            [Tracepoint("syscalls", "sys_enter_getppid")]
            public static int OnGetppid(TracepointContext ctx)
            {
                ref Seen seen = ref Last.GetValueRefOrNullRef(0);
                if (Unsafe.IsNullRef(ref seen)) return 0;
                var task = Bpf.GetCurrentTask<TaskStruct>();
                seen.Pid = task.Value.Tgid;
                seen.Ppid = task.Value.RealParent.Value.Tgid;
                seen.State = (int)task.Value.State;
                seen.Comm = task.Value.Comm;
                var file = new KernelPointer<File>(task.Address);
                if (Bpf.FieldExists(file.Value.FMode)) seen.FileMode = file.Value.FMode;
                return 0;
            }
        }
        """;

    [KernelFact]
    public void Generated_types_cover_what_vmlinux_h_has_and_compile()
    {
        string code = Generated.Value;
        Assert.Contains("[KernelType(\"task_struct\")]", code);
        Assert.Contains("[KernelField(\"real_parent\"), FieldOffset(", code);
        Assert.Contains("public KernelPointer<TaskStruct> RealParent;", code);   // a pointer to a written struct is typed
        Assert.Contains("[KernelField(\"__state\"), FieldOffset(", code);        // names as the kernel spells them
        Assert.Contains("[InlineArray(16)]", code);                              // char comm[16]
        Assert.Matches(@"\[KernelField\(""\w+"", BitOffset = \d+, Bits = 1\)\]", code); // bitfields as properties
        Assert.Contains("public enum CgroupSubsysId : uint", code);
        // Tracepoint arguments, named from the kernel's probe (a template's for sched_wakeup), pointers typed.
        Assert.Contains("[FieldOffset(8)] public KernelPointer<TaskStruct> Prev; // struct task_struct *", code);
        Assert.Contains("[FieldOffset(0)] public KernelPointer<TaskStruct> Task; // struct task_struct *", code);
        Assert.Contains("public struct DoSysOpenat2Args", code);
        var errors = GeneratorHarness.Compile(code).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10)));
    }

    [KernelFact]
    public void A_program_over_generated_types_builds_clean_and_loads_with_its_relocations()
    {
        var compilation = GeneratorHarness.Compile(Generated.Value, Program);
        Assert.Empty(GeneratorHarness.AnalyzerDiagnostics(compilation));
        var generated = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult();
        string skeleton = Assert.Single(generated.GeneratedTrees).ToString();
        var elf = Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(skeleton, "ObjectFileBase64 = \"([^\"]+)\"").Groups[1].Value);
        var file = BpfObjectFile.Open(elf, "TaskReader");
        Assert.True(file.Spec.CoreRelocations.Count >= 6, $"{file.Spec.CoreRelocations.Count} CO-RE relocations");
        using var loaded = file.Load(); // the kernel checks the object's BTF (thousands of kernel types' worth) and the verifier the reads
        Assert.False(loaded.Program("OnGetppid").Descriptor.IsInvalid);
        Assert.False(loaded.Program("OnSwitch").Descriptor.IsInvalid);  // generated tracepoint arguments, as a tp_btf program takes them
    }
}
