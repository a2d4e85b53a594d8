using BpfTracingApp;
using CSharpBpf;
using Xunit;

namespace BpfTracingApp.Tests;

/// <summary>The tracepoint program run as plain .NET: the same method the kernel runs, with this process as "current".</summary>
public class SyscallCounterTests
{
    [Fact]
    public void Counts_each_call_for_the_current_process()
    {
        uint pid = (uint)Environment.ProcessId;
        SyscallCounter.PerProcess.TryGetValue(pid, out ulong before);
        var ctx = new TracepointContext<SysEnterArgs>(new SysEnterArgs { Id = 39 });
        SyscallCounter.OnEnter(ctx);
        SyscallCounter.OnEnter(ctx);
        Assert.True(SyscallCounter.PerProcess.TryGetValue(pid, out ulong after));
        Assert.Equal(before + 2, after);
    }
}
