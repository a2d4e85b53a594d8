using CSharpBpf.Samples;
using RunQlat;

const string Usage = """
    runqlat — scheduler run-queue latency: how long runnable tasks wait for a CPU, as a histogram of microseconds,
    measured in the kernel by BTF-typed tracepoints on sched_wakeup, sched_wakeup_new and sched_switch
    (RunQueueLatency.cs), as libbpf-tools' runqlat.

    Usage: runqlat [--pid PID] [--interval SECONDS] [-h|--help]
      --pid PID          only this process's threads
      --interval SECONDS print (and keep counting) every SECONDS as well as at the end
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the histogram, stops and detaches.
    """;

return SampleHost.Run("runqlat", Usage, args, (args, stop) =>
{
    int pid = 0, interval = 0;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--pid" && i + 1 < args.Length && int.TryParse(args[++i], out pid) && pid > 0) { }
        else if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[++i], out interval) && interval > 0) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }

    var spec = RunQueueLatency.Open();
    spec.TargetPid = pid;
    using var latency = spec.Load();
    using var wakeup = latency.OnWakeup.Attach();
    using var wakeupNew = latency.OnWakeupNew.Attach();
    using var switched = latency.OnSwitch.Attach();
    SampleHost.Attached(latency.OnWakeup, latency.OnWakeupNew, latency.OnSwitch);
    Console.WriteLine($"Tracing run queue latency{(pid > 0 ? $" of pid {pid}" : "")}... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval > 0 ? interval * 1000 : Timeout.Infinite)) Print();
    Print();
    return 0;

    void Print()
    {
        Console.WriteLine();
        Console.WriteLine("@usecs:");
        Console.Write(latency.LatencyUs.Read().Render());
    }
});
