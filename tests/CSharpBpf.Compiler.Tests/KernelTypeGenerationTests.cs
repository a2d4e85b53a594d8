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
                var file = new KernelPointer<FileStruct>(task.Address);
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
        // A pointer to a written struct is typed: a property over the address (no generic field, see KernelTypeWriter).
        Assert.Contains("[KernelField(\"real_parent\", Offset = ", code);
        Assert.Contains("public KernelPointer<TaskStruct> RealParent { readonly get => new(_realParent); set => _realParent = value.Address; }", code);
        Assert.Matches(@"\[KernelField\(""real_cred""\), FieldOffset\(\d+\)\] public KernelPointer RealCred;", code); // not written: opaque, still a pointer
        Assert.Contains("public struct FileStruct", code);                       // not File: System.IO.File under implicit usings
        Assert.Contains("public struct KuidT", code);                            // a typedef's name, not AnonymousStructNNN
        Assert.DoesNotContain("Anonymous", code);
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

    /// <summary>Every struct, union and enum of this kernel's vmlinux BTF, written as C#, compiles beside .NET's implicit
    /// usings and a file that names each type through <c>using Kernel;</c> (no name is ambiguous with a .NET type), and
    /// every type loads as plain .NET in three orders: as declared, reversed, and largest first (a struct before the
    /// structs it holds, the order in which dotnet/runtime#130661's type-loader crash showed with generic pointer fields).</summary>
    [KernelFact]
    public void Every_type_of_vmlinux_compiles_and_loads_as_plain_dotnet_in_any_order()
    {
        string code = KernelTypeWriter.Write(KernelBtf.Types, Array.Empty<string>(), "Kernel", "vmlinux");
        var names = System.Text.RegularExpressions.Regex.Matches(code, @"^public (?:struct|enum) (\w+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count > 5000, $"{names.Count} types");
        const string implicitUsings = "global using System; global using System.IO; global using System.Collections.Generic; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        string user = "using Kernel;\nstatic class Uses\n{\n" + string.Concat(names.Select((n, i) => $"    static {n} T{i};\n")) + "}\n";
        var compilation = GeneratorHarness.Compile(code, implicitUsings, user)
            .WithOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true,
                specificDiagnosticOptions: new[] { new System.Collections.Generic.KeyValuePair<string, ReportDiagnostic>("CS0169", ReportDiagnostic.Suppress) }));
        using var image = new System.IO.MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        var sizes = System.Text.RegularExpressions.Regex.Matches(code, @"Size = (\d+)\)\]\r?\npublic struct (\w+)")
            .ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value));
        var orders = new (string Name, Func<Type[], System.Collections.Generic.IEnumerable<Type>> Order)[]
        {
            ("declared", types => types),
            ("reversed", types => types.Reverse()),
            ("largest first", types => types.OrderByDescending(t => sizes.TryGetValue(t.Name, out int size) ? size : 0)), // sizes from the source: asking the runtime loads the type
        };
        foreach (var (order, arrange) in orders)
        {
            // A fresh context each time, so every order starts with no type of the assembly loaded.
            var context = new System.Runtime.Loader.AssemblyLoadContext(order, isCollectible: true);
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var declared = assembly.GetExportedTypes().Where(t => t.Namespace == "Kernel").ToArray();
            int loaded = 0;
            foreach (var type in arrange(declared))
            {
                System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(type.TypeHandle);
                Assert.NotNull(Activator.CreateInstance(type));
                loaded++;
            }
            Assert.Equal(names.Count, loaded);
            context.Unload();
        }
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
