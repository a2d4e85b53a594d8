using CSharpBpf;
using SandboxSample;

const string Usage = """
    sandbox — runs a command under a seccomp policy written in C# (samples/sandbox/Policies.cs), compiled to classic
    BPF by the CSharpBpf generator and installed with seccomp(2) just before the command starts.

    Usage: sandbox [--policy read-only|no-network] [--show] -- COMMAND [ARGS...]
      --policy NAME  read-only: files can be read, not changed (EROFS); no-network: no sockets but Unix ones (EACCES)
      --show         print the policy's classic BPF and exit
    Needs no privileges: the policy binds the command and everything it starts, for good.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Write(Usage);
    return args.Length == 0 ? 2 : 0;
}

var policy = Policies.SeccompFilters.ReadOnly;
bool show = false;
int at = 0;
for (; at < args.Length && args[at] != "--"; at++)
{
    if (args[at] == "--show") show = true;
    else if (args[at] == "--policy" && at + 1 < args.Length)
        policy = args[++at] switch
        {
            "read-only" => Policies.SeccompFilters.ReadOnly,
            "no-network" => Policies.SeccompFilters.NoNetwork,
            var other => null!,
        } ?? throw new ArgumentException($"unknown policy '{args[at]}' (read-only or no-network)");
    else
    {
        Console.Error.WriteLine($"sandbox: unknown argument '{args[at]}'\n\n{Usage}");
        return 2;
    }
}
if (show)
{
    Console.Write(policy.Program.ToListing());
    return 0;
}
if (at + 1 >= args.Length)
{
    Console.Error.WriteLine($"sandbox: no command after --\n\n{Usage}");
    return 2;
}
try
{
    Seccomp.Exec(policy, args[at + 1], args[(at + 2)..]);
    return 0; // not reached: Exec replaces the process or throws
}
catch (Exception e) when (e is FileNotFoundException or CSharpBpf.Syscalls.BpfException)
{
    Console.Error.WriteLine($"sandbox: {e.Message}");
    return 127;
}
