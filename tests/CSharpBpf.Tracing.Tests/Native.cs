using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests;

internal static partial class Native
{
    /// <summary>A syscall with no side effects, for the tests to trigger (number 110 on x86-64).</summary>
    [LibraryImport("libc.so.6")]
    internal static partial int getppid();
}
