using CSharpBpf.Samples;
using PyStat;

const string Usage = """
    pystat — what Python processes spend on imports and garbage collection, measured in the kernel through CPython's
    USDT probes (python:import__find__load__start/done, gc__start/done; PythonProbes.cs), as bcc's ugc does: the
    slowest module imports, and a histogram of collection pauses per generation.

    Usage: pystat [--python PATH] [--pid PID] [--top N] [--interval SECONDS] [-h|--help]
      --python PATH      the interpreter whose probes to attach (default /usr/bin/python3)
      --pid PID          only this process (default: every process running that interpreter)
      --top N            imports in the table (default 10)
      --interval SECONDS print every SECONDS as well as at the end
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the summary, stops and detaches.
    """;

return SampleHost.Run("pystat", Usage, args, (args, stop) =>
{
    string python = "/usr/bin/python3";
    int pid = -1, top = 10, interval = 0;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--python" && i + 1 < args.Length) python = args[++i];
        else if (args[i] == "--pid" && i + 1 < args.Length && int.TryParse(args[++i], out pid) && pid > 0) { }
        else if (args[i] == "--top" && i + 1 < args.Length && int.TryParse(args[++i], out top) && top > 0) { }
        else if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[++i], out interval) && interval > 0) { }
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }

    using var probes = PythonProbes.Load();
    using var importStart = probes.OnImportStart.AttachUsdt(python, "python", "import__find__load__start", pid);
    using var importDone = probes.OnImportDone.AttachUsdt(python, "python", "import__find__load__done", pid);
    using var collectionStart = probes.OnCollectionStart.AttachUsdt(python, "python", "gc__start", pid);
    using var collectionDone = probes.OnCollectionDone.AttachUsdt(python, "python", "gc__done", pid);
    SampleHost.Attached(probes.OnImportStart, probes.OnImportDone, probes.OnCollectionStart, probes.OnCollectionDone);
    Console.WriteLine($"Tracing {python}{(pid > 0 ? $" in pid {pid}" : "")}... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval > 0 ? interval * 1000 : Timeout.Infinite)) Print();
    Print();
    return 0;

    void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{"IMPORTS",8} {"TOTAL ms",10} {"NOT FOUND",9} MODULE");
        foreach (var (module, s) in probes.Imports.Entries().OrderByDescending(i => i.Value.TotalNs).Take(top))
            Console.WriteLine($"{s.Count,8} {s.TotalNs / 1e6,10:F3} {s.NotFound,9} {module}");
        Console.WriteLine();
        Console.WriteLine($"{(probes.Collected.TryGetValue(0, out ulong objects) ? objects : 0)} objects collected");
        foreach (var (generation, histogram) in probes.PauseUs.Read().OrderBy(h => h.Key))
        {
            Console.WriteLine($"@gc_pause_us[generation {generation}]:");
            Console.Write(histogram.Render());
        }
    }
});
