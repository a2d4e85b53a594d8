using System;
using System.IO;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>
    /// Encodes a type table as a .BTF section:
    /// <code>
    /// header (24 bytes): u16 magic 0xeB9F | u8 version 1 | u8 flags | u32 hdr_len
    ///                    | u32 type_off | u32 type_len | u32 str_off | u32 str_len
    /// types:  per type   u32 name_off | u32 info (vlen:16, kind:5 at bit 24, kind_flag at bit 31)
    ///                    | u32 size or type | kind-specific trailer
    /// strings
    /// </code>
    /// </summary>
    public static class BtfWriter
    {
        /// <summary>The BTF magic number.</summary>
        public const ushort Magic = 0xeB9F;

        /// <summary>Encodes <paramref name="table"/>; <paramref name="strings"/> may already hold names used by .BTF.ext.</summary>
        public static byte[] Write(BtfTypeTable table, BtfStringTable strings)
        {
            var types = new MemoryStream();
            var w = new BinaryWriter(types);
            foreach (var type in table.Types) WriteType(w, type, strings);
            w.Flush();
            var stringBytes = strings.ToArray();

            var output = new MemoryStream();
            var h = new BinaryWriter(output);
            h.Write(Magic);
            h.Write((byte)1);
            h.Write((byte)0);
            h.Write(24u);
            h.Write(0u);
            h.Write((uint)types.Length);
            h.Write((uint)types.Length);
            h.Write((uint)stringBytes.Length);
            h.Write(types.ToArray());
            h.Write(stringBytes);
            h.Flush();
            return output.ToArray();
        }

        private static uint Info(BtfKind kind, int vlen, bool kindFlag = false) => (uint)vlen | ((uint)kind << 24) | (kindFlag ? 1u << 31 : 0);

        private static void WriteType(BinaryWriter w, BtfType type, BtfStringTable strings)
        {
            w.Write((uint)strings.Add(type.Name));
            switch (type)
            {
                case BtfInt i:
                    w.Write(Info(BtfKind.Int, 0));
                    w.Write((uint)i.Size);
                    uint encoding = (i.Signed ? 1u : 0) | (i.IsChar ? 2u : 0) | (i.IsBool ? 4u : 0);
                    w.Write((encoding << 24) | ((uint)i.BitOffset << 16) | (uint)(i.Bits > 0 ? i.Bits : i.Size * 8));
                    break;
                case BtfPointer p:
                    w.Write(Info(BtfKind.Pointer, 0));
                    w.Write((uint)p.Target);
                    break;
                case BtfArray a:
                    w.Write(Info(BtfKind.Array, 0));
                    w.Write(0u);
                    w.Write((uint)a.Element);
                    w.Write((uint)a.IndexType);
                    w.Write((uint)a.Count);
                    break;
                case BtfStruct s:
                    w.Write(Info(s.Kind, s.Members.Count, s.HasBitfields));
                    w.Write((uint)s.Size);
                    foreach (var m in s.Members)
                    {
                        w.Write((uint)strings.Add(m.Name));
                        w.Write((uint)m.Type);
                        w.Write((uint)m.BitOffset);
                    }
                    break;
                case BtfEnum e:
                    w.Write(Info(e.Kind, e.Values.Count, e.Signed));
                    w.Write((uint)e.Size);
                    foreach (var v in e.Values)
                    {
                        w.Write((uint)strings.Add(v.Name));
                        w.Write((uint)v.Value);
                        if (e.Kind == BtfKind.Enum64) w.Write((uint)(v.Value >> 32));
                    }
                    break;
                case BtfForward f:
                    w.Write(Info(BtfKind.Forward, 0, f.IsUnion));
                    w.Write(0u);
                    break;
                case BtfModifier m:
                    w.Write(Info(m.ModifierKind, 0));
                    w.Write((uint)m.Target);
                    break;
                case BtfFunc f:
                    w.Write(Info(BtfKind.Func, (int)f.Linkage));
                    w.Write((uint)f.Prototype);
                    break;
                case BtfFuncProto p:
                    w.Write(Info(BtfKind.FuncProto, p.Parameters.Count));
                    w.Write((uint)p.ReturnType);
                    foreach (var parameter in p.Parameters)
                    {
                        w.Write((uint)strings.Add(parameter.Name));
                        w.Write((uint)parameter.Type);
                    }
                    break;
                case BtfVar v:
                    w.Write(Info(BtfKind.Var, 0));
                    w.Write((uint)v.Type);
                    w.Write((uint)v.Linkage);
                    break;
                case BtfDataSection d:
                    w.Write(Info(BtfKind.DataSection, d.Variables.Count));
                    w.Write((uint)d.Size);
                    foreach (var v in d.Variables)
                    {
                        w.Write((uint)v.Var);
                        w.Write((uint)v.Offset);
                        w.Write((uint)v.Size);
                    }
                    break;
                case BtfOpaque o:
                    w.Write(o.Info);
                    w.Write(o.SizeOrType);
                    foreach (var b in o.Trailer) w.Write(b);
                    break;
                default:
                    throw new ArgumentException($"BTF kind {type.Kind} cannot be written", nameof(type));
            }
        }
    }
}
