using System;
using System.Linq;
using Xunit;

namespace CSharpBpf.Tests;

public sealed class BpfHelperTests
{
    [Fact]
    public void Helpers_describe_the_calling_thread()
    {
        Assert.Equal((uint)Environment.ProcessId, (uint)(Bpf.GetCurrentPidTgid() >> 32));
        Assert.NotEqual(0u, (uint)Bpf.GetCurrentPidTgid());
        ulong t1 = Bpf.KtimeGetNs(), t2 = Bpf.KtimeGetNs();
        Assert.True(t2 >= t1);
        Assert.True(Bpf.GetCurrentComm(out var comm));
        Assert.NotEmpty(comm.ToString());
        Assert.InRange(Bpf.GetSmpProcessorId(), 0u, (uint)Environment.ProcessorCount * 64);
    }

    [Fact]
    public void Uid_and_gid_match_proc_self_status()
    {
        uint Field(string name) => uint.Parse(System.IO.File.ReadAllLines("/proc/self/status")
            .First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        ulong uidGid = Bpf.GetCurrentUidGid();
        Assert.Equal(Field("Uid"), (uint)uidGid);
        Assert.Equal(Field("Gid"), (uint)(uidGid >> 32));
    }

    [Fact]
    public void Printk_lines_are_kept_in_the_trace_log()
    {
        Bpf.Printk("managed printk 1234");
        Assert.Contains("managed printk 1234", Bpf.TraceLog);
    }
}
