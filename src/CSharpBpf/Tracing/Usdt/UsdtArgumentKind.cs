namespace CSharpBpf.Tracing;

/// <summary>Where a USDT probe's argument is at the probe site, as the compiler described it in the note's operand.</summary>
public enum UsdtArgumentKind
{
    /// <summary>A constant (x86-64 <c>$42</c>, arm64 <c>42</c>).</summary>
    Constant,
    /// <summary>A register's value (x86-64 <c>%edi</c>, arm64 <c>x0</c>).</summary>
    Register,
    /// <summary>Memory at a register plus an offset (x86-64 <c>-8(%rbp)</c>, arm64 <c>[sp, 16]</c>).</summary>
    Memory,
    /// <summary>Memory at base + index × scale + offset (x86-64 <c>8(%rax,%rdx,4)</c>).</summary>
    IndexedMemory,
}
