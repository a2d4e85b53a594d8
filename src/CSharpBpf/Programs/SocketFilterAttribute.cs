using System;

namespace CSharpBpf;

/// <summary>A socket filter (section socket): takes SkBuff, returns the number of bytes to keep (0 drops).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SocketFilterAttribute : Attribute
{

}
