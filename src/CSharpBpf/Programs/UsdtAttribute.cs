using System;

namespace CSharpBpf;

/// <summary>
/// A USDT program (section usdt/binary:provider:name): it runs at every site of the statically defined probe
/// <see cref="Provider"/>:<see cref="Name"/> that <see cref="BinaryPath"/> declares with SystemTap's sys/sdt.h
/// (DTRACE_PROBE, STAP_PROBE; the probes of PostgreSQL, Python, the JVM, libc). The method takes a
/// <see cref="UsdtContext"/>, whose <see cref="UsdtContext.Arg"/> reads the probe's arguments.
/// Attach with <c>BpfProgram.Attach()</c> or <c>AttachUsdt</c> (a pid limits it to one process).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UsdtAttribute : Attribute
{
    /// <summary>Declares the probe.</summary>
    public UsdtAttribute(string binaryPath, string provider, string name)
    {
        BinaryPath = binaryPath;
        Provider = provider;
        Name = name;
    }

    /// <summary>The executable or shared library holding the probe (an absolute path).</summary>
    public string BinaryPath { get; }
    /// <summary>The probe's provider (sys/sdt.h's first argument).</summary>
    public string Provider { get; }
    /// <summary>The probe's name.</summary>
    public string Name { get; }
}
