using System;

namespace CSharpBpf;

/// <summary>A tc classifier in direct-action mode: section tc, or tcx/ingress|egress when a direction is given. Takes SkBuff, returns TcAction.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TrafficControlAttribute : Attribute
{
    /// <summary>A classic tc program (section tc), attached through clsact.</summary>
    public TrafficControlAttribute() { }

    /// <summary>A tcx program (section tcx/ingress or tcx/egress).</summary>
    public TrafficControlAttribute(TcxDirection direction) => Direction = direction;

    /// <summary>The tcx direction, or null for a classic tc program.</summary>
    public TcxDirection? Direction { get; }
}
