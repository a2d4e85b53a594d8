namespace CSharpBpf.Logging;

/// <summary>How a log record's slot is read back into the C# type of its hole.</summary>
public enum BpfLogValueKind
{
    /// <summary>sbyte, short, int, long: sign-extended into 8 bytes.</summary>
    Signed,
    /// <summary>byte, ushort, uint, ulong: 8 bytes.</summary>
    Unsigned,
    /// <summary>bool: 8 bytes.</summary>
    Boolean,
    /// <summary>A byte [InlineArray] such as Comm: its bytes up to the first NUL, as UTF-8.</summary>
    Text,
}
