using System;
using System.IO;
using CSharpBpf.Bytecode;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Cli.Commands;

/// <summary>Runs a verb that talks to the kernel, turning the failures a user can cause into one line on stderr.</summary>
public static class KernelCommandAction
{
    /// <summary>Runs <paramref name="action"/>; 0 on success, 1 with the reason on stderr otherwise.</summary>
    public static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is BpfException or BpfObjectFormatException or IOException or System.Net.Sockets.SocketException or ArgumentException or FormatException
                                       or InvalidOperationException or NotSupportedException or System.Collections.Generic.KeyNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
