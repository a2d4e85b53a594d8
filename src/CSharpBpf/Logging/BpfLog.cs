using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CSharpBpf;

/// <summary>
/// Structured logging from BPF programs, formatted on the user side into Microsoft.Extensions.Logging (aya-log's idea
/// with .NET's logger). Pass an interpolated string with at most four holes — integers, bools, enums, or text such as
/// <see cref="Comm"/> (format and alignment allowed: <c>{port:x4}</c>); the compiler keeps the text in the skeleton and
/// the program sends only a site number and the values through the object's log ring buffer, so a call costs less than
/// <see cref="Bpf.Printk"/> and nothing is formatted in the kernel. Read the records with the skeleton's <c>Log</c> reader. As plain .NET the message goes to
/// <see cref="Logger"/>.
/// </summary>
public static class BpfLog
{
    /// <summary>Where messages go when the program runs as plain .NET.</summary>
    public static ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Logs at <see cref="LogLevel.Trace"/>.</summary>
    public static void Trace(string message) => Logger.Log(LogLevel.Trace, "{Message}", message);
    /// <summary>Logs at <see cref="LogLevel.Debug"/>.</summary>
    public static void Debug(string message) => Logger.Log(LogLevel.Debug, "{Message}", message);
    /// <summary>Logs at <see cref="LogLevel.Information"/>.</summary>
    public static void Info(string message) => Logger.Log(LogLevel.Information, "{Message}", message);
    /// <summary>Logs at <see cref="LogLevel.Warning"/>.</summary>
    public static void Warn(string message) => Logger.Log(LogLevel.Warning, "{Message}", message);
    /// <summary>Logs at <see cref="LogLevel.Error"/>.</summary>
    public static void Error(string message) => Logger.Log(LogLevel.Error, "{Message}", message);
}
