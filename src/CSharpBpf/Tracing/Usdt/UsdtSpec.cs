using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Numerics;
using CSharpBpf.Bytecode.Usdt;

namespace CSharpBpf.Tracing;

/// <summary>Encodes a probe site's arguments as the struct __bpf_usdt_spec the program decodes (<see cref="UsdtSpecLayout"/>).</summary>
internal static class UsdtSpec
{
    /// <exception cref="NotSupportedException">The site has more arguments than a spec holds.</exception>
    public static byte[] Encode(IReadOnlyList<UsdtArgument> arguments, UsdtProbe site)
    {
        if (arguments.Count > UsdtSpecLayout.MaxArguments)
            throw new NotSupportedException($"USDT probe {site.Provider}:{site.Name} has {arguments.Count} arguments; at most {UsdtSpecLayout.MaxArguments} can be read, as in libbpf");
        var spec = new byte[UsdtSpecLayout.Size];
        for (int i = 0; i < arguments.Count; i++)
        {
            var a = arguments[i];
            var field = spec.AsSpan(i * UsdtSpecLayout.ArgumentSize, UsdtSpecLayout.ArgumentSize);
            int type = a.Kind switch
            {
                UsdtArgumentKind.Constant => UsdtSpecLayout.Constant,
                UsdtArgumentKind.Register => UsdtSpecLayout.Register,
                UsdtArgumentKind.Memory => UsdtSpecLayout.RegisterDeref,
                _ => UsdtSpecLayout.ScaledIndex,
            };
            uint word = (uint)type | (uint)a.IndexRegisterOffset << 8 | (uint)BitOperations.Log2((uint)a.Scale) << 20;
            BinaryPrimitives.WriteInt64LittleEndian(field[UsdtSpecLayout.ValueOffset..], a.Value);
            BinaryPrimitives.WriteUInt32LittleEndian(field[UsdtSpecLayout.TypeWordOffset..], word);
            BinaryPrimitives.WriteInt16LittleEndian(field[UsdtSpecLayout.RegisterOffset..], (short)a.RegisterOffset);
            field[UsdtSpecLayout.SignedOffset] = a.Signed ? (byte)1 : (byte)0;
            field[UsdtSpecLayout.BitShiftOffset] = (byte)(64 - a.Size * 8);
        }
        BinaryPrimitives.WriteInt16LittleEndian(spec.AsSpan(UsdtSpecLayout.CountOffset), (short)arguments.Count);
        return spec;
    }
}
