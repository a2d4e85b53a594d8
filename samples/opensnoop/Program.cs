using CSharpBpf.Samples;
using OpenSnoop;

const string Usage = """
    opensnoop — files opened (openat), by whom, with the descriptor or the error.

    Usage: opensnoop [--pid PID] [--failed] [-h|--help]
      --pid PID   only this process
      --failed    only failed opens
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C stops and detaches.
    """;

return SampleHost.Run("opensnoop", Usage, args, (args, stop) =>
{
    uint pid = 0;
    bool failedOnly = false;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--failed") failedOnly = true;
        else if (args[i] == "--pid" && i + 1 < args.Length && uint.TryParse(args[++i], out pid)) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }

    var spec = OpenTracer.Open();
    spec.TargetPid = pid;
    using var tracer = spec.Load();
    using var enter = tracer.OnEnter.Attach();
    using var exit = tracer.OnExit.Attach();
    SampleHost.Attached(tracer.OnEnter, tracer.OnExit);
    Console.WriteLine($"{"PID",7} {"UID",5} {"COMM",-16} {"FD",4} {"ERR",3} {"FLAGS",8} PATH");

    SampleHost.PollUntil(stop, () => tracer.Events.Poll(record =>
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.Read<OpenEvent>(record);
        if (failedOnly && e.Result >= 0) return;
        string fd = e.Result >= 0 ? e.Result.ToString() : "-1";
        long error = e.Result < 0 ? -e.Result : 0;
        Console.WriteLine($"{e.Pid,7} {e.Uid,5} {e.Comm,-16} {fd,4} {error,3} {e.Flags,8:x} {e.Path}");
    }), tracer.Events.Wait);
    return 0;
});
