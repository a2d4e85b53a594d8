using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>BpfLog records from a real tracepoint reach an ILogger as structured entries.</summary>
public sealed class LoggingTests
{
    [KernelFact]
    public void A_BpfLog_record_reaches_an_ILogger_with_its_template_and_values()
    {
        var spec = LoggingProbes.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var probes = spec.Load();
        using (var link = probes.WithBpfLog.Attach())
        {
            for (int i = 0; i < 3; i++) Native.getppid();
        }
        var logger = new RecordingLogger();
        Assert.Equal(3, probes.Log.Poll(logger));

        Assert.Equal(3, logger.Entries.Count);
        var entry = logger.Entries[0];
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("getppid from {Pid} on thread {Tid}, syscall {Syscall}", entry.Template);
        Assert.Equal((ulong)Environment.ProcessId, entry.Values["Pid"]);
        Assert.Equal(110L, entry.Values["Syscall"]);
        Assert.Equal($"getppid from {Environment.ProcessId} on thread {entry.Values["Tid"]}, syscall 110", entry.Message);
        Assert.StartsWith("LoggingProbes.cs:", entry.EventName);
    }

    [KernelFact]
    public void Text_holes_travel_in_the_record_and_read_back_as_strings()
    {
        var spec = LoggingProbes.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        using var probes = spec.Load();
        string comm;
        using (var link = probes.WithText.Attach())
        {
            Native.getppid();
            comm = System.IO.File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n');
        }
        var logger = new RecordingLogger();
        Assert.Equal(1, probes.Log.Poll(logger));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("{Comm} (pid {Pid}) called getppid", entry.Template);
        Assert.Equal(comm, entry.Values["Comm"]);
        Assert.Equal($"{comm} (pid {Environment.ProcessId}) called getppid", entry.Message);
    }

    [Fact]
    public void A_BpfLog_call_site_costs_fewer_instructions_than_the_same_Printk()
    {
        var functions = LoggingProbes.Open().File.Spec.Functions;
        int Slots(string name) => functions.Single(f => f.Name == name).Instructions.Sum(i => i.SlotCount);
        // The programs differ only in the log line, so the difference to the baseline is what the line costs.
        int baseline = Slots("Baseline");
        int bpfLog = Slots("WithBpfLog") - baseline, printk = Slots("WithPrintk") - baseline;
        Assert.True(bpfLog > 0, $"the BpfLog line costs {bpfLog} instructions");
        Assert.True(bpfLog < printk, $"the BpfLog line costs {bpfLog} instructions, the Printk line {printk}");
        // The records are written by one shared subprogram per number of values.
        Assert.Contains(functions, f => f.Name == "__bpf_log_emit3" && f.Section == ".text");
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Template, Dictionary<string, object?> Values, string Message, string? EventName)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>();
            string template = "";
            foreach (var pair in (IReadOnlyList<KeyValuePair<string, object?>>)state!)
            {
                if (pair.Key == "{OriginalFormat}") template = (string)pair.Value!;
                else values[pair.Key] = pair.Value;
            }
            Entries.Add((logLevel, template, values, formatter(state, exception), eventId.Name));
        }
    }
}
