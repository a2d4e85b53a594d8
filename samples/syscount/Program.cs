using System.Runtime.InteropServices;
using CSharpBpf;
using CSharpBpf.Bytecode.Classic.Seccomp;
using CSharpBpf.Metrics;
using CSharpBpf.Samples;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SysCount;

const string Usage = """
    syscount — syscalls counted in the kernel, with their latency: the top syscalls by count (total, average,
    min and max time) and a histogram of all latencies, printed as bpftrace prints hist().

    Usage: syscount [--pid PID] [--interval SECONDS] [--top N] [--prometheus [HOST:]PORT] [-h|--help]
      --pid PID          only this process
      --interval SECONDS print every SECONDS as well as at the end
      --top N            rows in the table (default 10)
      --prometheus [HOST:]PORT  serve the counts and the latency histogram at http://HOST:PORT/metrics
                         (OpenTelemetry's Prometheus exporter; HOST * by default: every address)
      --duration SECONDS stop after SECONDS, as Ctrl+C does
    Needs root. Ctrl+C prints the summary, stops and detaches.
    """;

return SampleHost.Run("syscount", Usage, args, (args, stop) =>
{
    uint pid = 0;
    int interval = 0, top = 10;
    (string Host, int Port)? prometheus = null;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--pid" && i + 1 < args.Length && uint.TryParse(args[++i], out pid)) { }
        else if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[++i], out interval) && interval > 0) { }
        else if (args[i] == "--top" && i + 1 < args.Length && int.TryParse(args[++i], out top) && top > 0) { }
        else if (args[i] == "--prometheus" && i + 1 < args.Length) prometheus = PrometheusPrefix(args[++i]);
        else throw new ArgumentException($"unknown argument '{args[i]}'");
    }

    var spec = SyscallStatistics.Open();
    spec.TargetPid = pid;
    using var statistics = spec.Load();
    using var enter = statistics.OnEnter.Attach();
    using var exit = statistics.OnExit.Attach();
    // The package's syscall table (libseccomp's), for the architecture this runs on.
    var architecture = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? SeccompArchitecture.Arm64 : SeccompArchitecture.X86_64;
    string NameOf(long id) => SyscallTable.Name(architecture, (int)id) ?? $"syscall {id}";
    using var metrics = prometheus == null ? null : new BpfMetrics("syscount")
        .AddStatistics("syscount.syscall.latency", statistics.PerSyscall, id => new[] { new KeyValuePair<string, object?>("syscall", NameOf(id)) }, "ns",
            "Time spent in each syscall, as count, sum, min and max")
        .AddHistogram("syscount.latency", statistics.LatencyNs, "ns", "Latency of every syscall")
        .Start(TimeSpan.FromSeconds(1));
    using var exporter = prometheus == null ? null : Sdk.CreateMeterProviderBuilder()
        .AddMeter("syscount")
        .AddPrometheusHttpListener(options => (options.Host, options.Port) = prometheus.Value)
        .Build();
    if (prometheus is var (host, port)) Console.WriteLine($"Serving metrics at http://{host}:{port}/metrics");
    SampleHost.Attached(statistics.OnEnter, statistics.OnExit);
    Console.WriteLine($"Tracing syscalls{(pid != 0 ? $" of pid {pid}" : "")}... Ctrl+C to stop.");

    while (!stop.WaitHandle.WaitOne(interval > 0 ? interval * 1000 : Timeout.Infinite)) Print();
    Print();
    return 0;

    void Print()
    {
        var rows = statistics.PerSyscall.Read().OrderByDescending(r => r.Value.Count).Take(top).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"SYSCALL",-22} {"COUNT",10} {"TOTAL ms",10} {"AVG us",9} {"MIN us",9} {"MAX us",9}");
        foreach (var (id, s) in rows)
            Console.WriteLine($"{NameOf(id),-22} {s.Count,10} {s.Sum / 1e6,10:F3} {s.Average / 1e3,9:F2} {s.Min / 1e3,9:F2} {s.Max / 1e3,9:F2}");
        Console.WriteLine();
        Console.WriteLine("@latency_ns:");
        Console.Write(statistics.LatencyNs.Read().Render());
    }
});

// "9464" or "127.0.0.1:9464" → where the listener binds ("*": every address).
static (string Host, int Port) PrometheusPrefix(string value)
{
    int colon = value.LastIndexOf(':');
    string host = colon > 0 ? value[..colon] : "*";
    string port = colon >= 0 ? value[(colon + 1)..] : value;
    if (!ushort.TryParse(port, out ushort number) || number == 0)
        throw new ArgumentException($"--prometheus needs [HOST:]PORT, e.g. 9464 or 127.0.0.1:9464, not '{value}'");
    return (host, number);
}
