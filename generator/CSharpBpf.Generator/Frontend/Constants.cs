using System;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>C# constant values as 64-bit patterns.</summary>
    internal static class Constants
    {
        public static long ToLong(object? value) => value switch
        {
            null => 0,
            bool b => b ? 1 : 0,
            char c => c,
            sbyte v => v,
            byte v => v,
            short v => v,
            ushort v => v,
            int v => v,
            uint v => v,
            long v => v,
            ulong v => unchecked((long)v),
            _ => throw new ArgumentException($"{value.GetType().Name} is not an integer constant"),
        };
    }
}
