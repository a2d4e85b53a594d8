using System.IO;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>csbpf tracepoint: the C# struct of a tracepoint's fields from its tracefs format.</summary>
public sealed class TracepointCommandTests
{
    [Fact]
    public void It_prints_the_fields_after_the_common_header_at_offsets_from_its_end()
    {
        RequireTracefs();
        var result = CsbpfProcess.Run(null, "tracepoint", "syscalls/sys_enter_openat", "--namespace", "Tools");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("namespace Tools;", result.Stdout);
        Assert.Contains("[StructLayout(LayoutKind.Explicit, Size = 40)]", result.Stdout);
        Assert.Contains("public struct SysEnterOpenatArgs", result.Stdout);
        Assert.Contains("[FieldOffset(0)] public int SyscallNr;", result.Stdout);
        Assert.Contains("[FieldOffset(16)] public ulong Filename;", result.Stdout);
        Assert.DoesNotContain("Common", result.Stdout);
    }

    [Fact]
    public void Char_arrays_become_inline_arrays_and_data_loc_fields_say_how_to_read_them()
    {
        string format = Path.GetTempFileName();
        File.WriteAllText(format, """
            name: sched_process_exec
            ID: 300
            format:
            	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
            	field:int common_pid;	offset:4;	size:4;	signed:1;

            	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
            	field:pid_t pid;	offset:12;	size:4;	signed:1;
            	field:char comm[16];	offset:16;	size:16;	signed:0;
            """);
        var result = CsbpfProcess.Run(null, "tracepoint", "sched/sched_process_exec", "--format", format);
        File.Delete(format);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("[FieldOffset(0)] public uint Filename;", result.Stdout);
        Assert.Contains("offset in the record (low 16 bits) and length (high 16 bits)", result.Stdout);
        Assert.Contains("[FieldOffset(4)] public int Pid;", result.Stdout);
        Assert.Contains("[FieldOffset(8)] public CommArray Comm;", result.Stdout);
        Assert.Contains("[InlineArray(16)]", result.Stdout);
    }

    [Fact]
    public void A_name_without_a_category_says_what_to_write()
    {
        var result = CsbpfProcess.Run(null, "tracepoint", "sys_enter_openat");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("write e.g. syscalls/sys_enter_openat", result.Stderr);
    }

    [Fact]
    public void An_unknown_tracepoint_points_at_the_list()
    {
        RequireTracefs();
        var result = CsbpfProcess.Run(null, "tracepoint", "nosuch/event");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("available_events", result.Stderr);
    }

    // CI mounts tracefs; elsewhere the failure says what to mount.
    private static void RequireTracefs() =>
        Assert.True(Directory.Exists("/sys/kernel/tracing/events"), "tracefs is not mounted at /sys/kernel/tracing (mount -t tracefs tracefs /sys/kernel/tracing)");
}
