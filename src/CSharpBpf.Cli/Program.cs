using System.CommandLine;
using CSharpBpf.Cli.Commands;

namespace CSharpBpf.Cli;

/// <summary>Entry point of <c>csbpf</c>: one file per verb under Commands/.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("csbpf — assemble, inspect, run and load eBPF programs")
        {
            AsmCommand.Create(),
            DisasmCommand.Create(),
            DumpCommand.Create(),
            VmCommand.Create(),
            ConformancePluginCommand.Create(),
            LoadCommand.Create(),
            AttachCommand.Create(),
            ProgCommand.Create(),
            MapCommand.Create(),
            TestRunCommand.Create(),
            TracepointCommand.Create(),
            BtfCommand.Create(),
            CaptureCommand.Create(),
            SeccompCommand.Create(),
            CompletionCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
