using System;

namespace CSharpBpf;

/// <summary>An XDP program (section xdp): takes XdpContext, returns XdpAction.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class XdpAttribute : Attribute
{

}
