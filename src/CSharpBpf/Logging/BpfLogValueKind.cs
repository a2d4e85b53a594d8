namespace CSharpBpf.Logging;

/// <summary>How a log record's 64-bit slot is read back into the C# type of its hole.</summary>
public enum BpfLogValueKind
{
    /// <summary>sbyte, short, int, long: sign-extended.</summary>
    Signed,
    /// <summary>byte, ushort, uint, ulong.</summary>
    Unsigned,
    /// <summary>bool.</summary>
    Boolean,
}
