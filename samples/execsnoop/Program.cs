using CSharpBpf.Samples;
using ExecSnoop;

const string Usage = """
    execsnoop — every exec() on the machine: pid, parent pid, uid, command, result and arguments.

    Usage: execsnoop [--failed] [-h|--help]
      --failed   show only execs that failed
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C stops and detaches.
    """;

return SampleHost.Run("execsnoop", Usage, args, (args, stop) =>
{
    bool failedOnly = args.Contains("--failed");
    if (args.Any(a => a != "--failed")) throw new ArgumentException($"unknown argument '{args.First(a => a != "--failed")}'");

    using var tracer = ExecTracer.Load();
    using var enter = tracer.OnExecve.Attach();
    using var exit = tracer.OnExecveReturn.Attach();
    SampleHost.Attached(tracer.OnExecve, tracer.OnExecveReturn);
    Console.WriteLine($"{"PCOMM",-16} {"PID",7} {"PPID",7} {"UID",5} {"RET",4} ARGS");

    var pending = new Dictionary<uint, List<string>>();
    SampleHost.PollUntil(stop, () => tracer.Events.Poll(record =>
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.Read<ExecEvent>(record);
        if (e.Kind == ExecEventKind.Argument)
        {
            if (!pending.TryGetValue(e.Pid, out var arguments)) pending[e.Pid] = arguments = new List<string>();
            arguments.Add(e.Text.ToString());
            return;
        }
        var args = pending.Remove(e.Pid, out var collected) ? collected : new List<string>();
        if (failedOnly && e.ReturnValue == 0) return;
        string more = args.Count == ExecTracer.MaxArguments ? " ..." : "";
        Console.WriteLine($"{e.Comm,-16} {e.Pid,7} {e.ParentPid,7} {e.Uid,5} {e.ReturnValue,4} {string.Join(' ', args)}{more}");
    }), tracer.Events.Wait);
    return 0;
});
