using BpfTracingApp;
using CSharpBpf.Syscalls;

// Usage: BpfTracingApp [SECONDS] — count every process's syscalls for SECONDS (default 5), as root.
int seconds = args.Length > 0 ? int.Parse(args[0]) : 5;

try
{
    using var counter = SyscallCounter.Load();
    using var link = counter.OnEnter.Attach();
    Console.WriteLine($"counting syscalls for {seconds} s…");
    Thread.Sleep(TimeSpan.FromSeconds(seconds));
    foreach (var (pid, count) in counter.PerProcess.Entries().OrderByDescending(e => e.Value).Take(10))
        Console.WriteLine($"pid {pid,7}: {count} syscalls");
    Console.WriteLine("done");
}
catch (BpfException e) // not root, or the kernel lacks what the program needs: say why, without a stack trace
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
return 0;
