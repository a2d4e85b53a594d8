using System;
using System.Runtime.InteropServices;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>The same tracing methods run as plain .NET: the managed helpers read this process's own memory, the ring
/// buffer keeps the records, as a unit test of the program's logic needs no kernel.</summary>
public sealed class PlainDotnetTests
{
    [Fact]
    public void The_openat_program_runs_as_plain_dotnet_and_reads_the_path_through_its_pointer()
    {
        var path = Marshal.StringToHGlobalAnsi("/etc/hosts");
        try
        {
            var context = new TracepointContext<SysEnterOpenatArgs>(new SysEnterOpenatArgs { Filename = (ulong)path, Flags = 0x42, Dfd = -100 });
            while (OpenTracer.Events.TryTake(out _)) { }
            Assert.Equal(0, OpenTracer.OnOpenat(context)); // TargetPid is 0 as compiled: every process
            Assert.True(OpenTracer.Events.TryTake(out byte[] record));
            var e = MemoryMarshal.Read<OpenEvent>(record);
            Assert.Equal("/etc/hosts", e.Path.ToString());
            Assert.Equal(11, e.PathLength);
            Assert.Equal(0x42, e.Flags);
            Assert.Equal(-100, e.Dfd);
            Assert.Equal((uint)Environment.ProcessId, e.Pid);
            Assert.Equal(0, OpenTracer.Events.Count);
        }
        finally
        {
            Marshal.FreeHGlobal(path);
        }
    }

    [Fact]
    public void An_unreadable_pointer_gives_EFAULT_and_the_program_discards_its_record()
    {
        while (OpenTracer.Events.TryTake(out _)) { }
        Assert.Equal(0, OpenTracer.OnOpenat(new TracepointContext<SysEnterOpenatArgs>(new SysEnterOpenatArgs { Filename = 8 })));
        Assert.Equal(0, OpenTracer.Events.Count);

        Assert.Equal(-14, Bpf.ProbeReadUserString(8UL, out CString256 text));
        Assert.Equal("", text.ToString());
        Assert.Equal(-14, Bpf.ProbeReadUser(8UL, out ulong value));
        Assert.Equal(0UL, value);
    }
}
