using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>Tracepoint and raw tracepoint programs compiled from C#, attached for real and fed by this process's own syscalls.</summary>
public sealed class TracepointTests
{
    [KernelFact]
    public async Task The_openat_tracepoint_sees_this_process_open_a_file_with_its_pid_and_name()
    {
        var spec = OpenTracer.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var tracer = spec.Load();
        using var link = tracer.OnOpenat.Attach();
        string path = Path.Combine(Path.GetTempPath(), $"csbpf-openat-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "traced");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        OpenEvent? seen = null;
        await foreach (var e in tracer.Events.ReadAllAsync<OpenEvent>(cancel.Token))
        {
            if (e.Path.ToString() != path) continue;
            seen = e;
            break;
        }
        File.Delete(path);

        Assert.NotNull(seen);
        var open = seen.Value;
        Assert.Equal((uint)Environment.ProcessId, open.Pid);
        Assert.Equal(-100, open.Dfd);                   // AT_FDCWD: .NET opens by path
        Assert.Equal(path.Length + 1, open.PathLength); // bpf_probe_read_user_str counts the NUL
        Assert.NotEqual(0, open.Flags & 0x40);          // File.WriteAllText opens with O_CREAT
        Assert.False(string.IsNullOrEmpty(open.Comm.ToString()));
    }

    [KernelFact]
    public void A_command_name_compares_with_a_name_set_before_load_and_with_a_literal()
    {
        var spec = CommFilter.Open();
        spec.Target = Comm.From("cat");
        using var filter = spec.Load();
        int cat, head;
        using (filter.OnOpenat.Attach())
        {
            cat = RunToEnd("cat", "/etc/hostname");
            head = RunToEnd("head", "-c1 /etc/hostname");
        }

        Assert.True(filter.ByTarget.TryGetValue((uint)cat, out long byTarget) && byTarget > 0, "cat's opens were not counted by comm == Target");
        Assert.True(filter.ByLiteral.TryGetValue((uint)cat, out long byLiteral) && byLiteral > 0, "cat's opens were not counted by comm.Is(\"cat\"u8)");
        Assert.Equal(byTarget, byLiteral);
        Assert.False(filter.Others.TryGetValue((uint)cat, out _));
        Assert.True(filter.Others.TryGetValue((uint)head, out long others) && others > 0, "head's opens were not counted as another name");
        Assert.False(filter.ByTarget.TryGetValue((uint)head, out _));
        Assert.False(filter.ByLiteral.TryGetValue((uint)head, out _));
    }

    private static int RunToEnd(string file, string arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.Id;
    }

    [KernelFact]
    public void A_program_that_reads_no_field_takes_the_untyped_context_and_counts_events()
    {
        var spec = EventCounter.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var counter = spec.Load();
        Assert.Equal("tracepoint/syscalls/sys_enter_getppid", counter.OnGetppid.Section);
        using (var link = counter.OnGetppid.Attach())
            for (int i = 0; i < 17; i++) Native.getppid();
        Assert.Equal(17UL, counter.Calls[0]);
        Assert.Equal(0, EventCounter.OnGetppid(new TracepointContext())); // as plain .NET: another pid's call, not counted
    }

    [KernelFact]
    public async Task The_raw_tracepoint_counts_this_process_syscalls_and_sends_each_getppid_through_the_perf_buffer()
    {
        var spec = SyscallCounter.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var counter = spec.Load();
        int before;
        using (var link = counter.OnSysEnter.Attach())
        {
            before = counter.Counts.TryGetValue(110, out ulong existing) ? (int)existing : 0;
            for (int i = 0; i < 25; i++) Native.getppid();
        }

        Assert.True(counter.Counts.TryGetValue(110, out ulong getppids));
        Assert.Equal(25, (int)getppids - before);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<SyscallEvent>();
        await foreach (var e in counter.Getppids.ReadAllAsync<SyscallEvent>(cancel.Token))
        {
            events.Add(e);
            if (events.Count == (int)getppids) break;
        }
        Assert.Equal(0, counter.Getppids.Lost);
        Assert.All(events, e => Assert.Equal((uint)Environment.ProcessId, e.Pid));
        Assert.All(events, e => Assert.Equal(110, e.Syscall));

        // Each record names the kernel stack it came from; resolved through kallsyms it is the syscall path.
        Assert.True(events[0].KernelStack >= 0, $"bpf_get_stackid returned {events[0].KernelStack}");
        Assert.True(counter.Stacks.TryGetValue((uint)events[0].KernelStack, out var stack));
        var frames = CSharpBpf.Tracing.KernelSymbols.Load().Resolve(stack);
        Assert.NotEmpty(frames);
        Assert.Contains(frames, frame => frame.StartsWith("do_syscall_64", StringComparison.Ordinal));
    }

    [KernelFact]
    public void A_TArgs_larger_than_the_record_is_refused_at_attach_with_what_to_do()
    {
        using var loaded = OversizedArgs.Load();
        var error = Assert.Throws<CSharpBpf.Syscalls.BpfException>(() => loaded.OnGetppid.Attach());
        Assert.Contains("reads past the end of tracepoint syscalls/sys_enter_getppid's record (4 bytes of fields", error.Message);
        Assert.Contains("csbpf tracepoint syscalls/sys_enter_getppid", error.Message);
    }
}
