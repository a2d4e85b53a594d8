namespace CSharpBpf;

/// <summary>Which side of a device a tcx program runs on.</summary>
public enum TcxDirection
{
    /// <summary>Packets arriving.</summary>
    Ingress,
    /// <summary>Packets leaving.</summary>
    Egress,
}
