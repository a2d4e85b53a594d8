using System;
using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>Reads a .BTF section (the layout drawn on <see cref="BtfWriter"/>) into types in id
    /// order, and gives access to its string table for .BTF.ext.</summary>
    public sealed class BtfReader
    {
        private readonly ByteReader strings;
        private readonly BtfReader? baseBtf;

        private BtfReader(ByteReader strings, List<BtfType> types, BtfReader? baseBtf = null)
        {
            this.strings = strings;
            this.baseBtf = baseBtf;
            Types = types;
        }

        /// <summary>The types, id 1 first.</summary>
        public IReadOnlyList<BtfType> Types { get; }

        /// <summary>The string at <paramref name="offset"/> of the string table.</summary>
        public string String(uint offset) =>
            baseBtf == null ? strings.CString(offset)
            : offset < baseBtf.StringLength ? baseBtf.String(offset) : strings.CString(offset - (uint)baseBtf.StringLength);

        /// <summary>Bytes of string table (a split BTF's string offsets start after its base's).</summary>
        private int StringLength => (baseBtf?.StringLength ?? 0) + strings.Length;

        /// <summary>Reads the .BTF section at <paramref name="offset"/> of <paramref name="file"/>.</summary>
        public static BtfReader Read(byte[] file, int offset, int length) => Read(file, offset, length, null);

        /// <summary>Reads split BTF (e.g. /sys/kernel/btf/&lt;module&gt;) on top of <paramref name="baseBtf"/> (vmlinux): the
        /// result's types are the base's, then the split's own, with ids from 1 across both.</summary>
        public static BtfReader Read(byte[] file, int offset, int length, BtfReader? baseBtf)
        {
            var r = new ByteReader(file, offset, length, ".BTF");
            if (r.U16(0) != BtfWriter.Magic) throw r.Error(0, $"magic 0x{r.U16(0):x4} is not BTF's 0xeb9f");
            if (r.U8(2) != 1) throw r.Error(2, $"BTF version {r.U8(2)} is not 1");
            uint headerLength = r.U32(4);
            if (headerLength < 24) throw r.Error(4, $"header length {headerLength} is below 24");
            long typeStart = headerLength + (long)r.U32(8), typeLength = r.U32(12);
            long stringStart = headerLength + (long)r.U32(16), stringLength = r.U32(20);
            r.Span(typeStart, typeLength);
            r.Span(stringStart, stringLength);
            var strings = new ByteReader(file, offset + (int)stringStart, (int)stringLength, ".BTF strings");
            var types = new ByteReader(file, offset + (int)typeStart, (int)typeLength, ".BTF types");
            if (baseBtf == null) return new BtfReader(strings, ReadTypes(types, at => strings.CString(at)));
            // Split BTF (a kernel module's, on top of vmlinux): its ids continue the base's, and so do its string offsets.
            var split = new BtfReader(strings, new List<BtfType>(), baseBtf);
            var all = new List<BtfType>(baseBtf.Types);
            all.AddRange(ReadTypes(types, split.String));
            return new BtfReader(strings, all, baseBtf);
        }

        private static List<BtfType> ReadTypes(ByteReader r, Func<uint, string> nameAt)
        {
            var list = new List<BtfType>();
            long at = 0;
            while (at < r.Length)
            {
                long start = at;
                string name = nameAt(r.U32(at));
                uint info = r.U32(at + 4);
                uint sizeOrType = r.U32(at + 8);
                at += 12;
                int vlen = (int)(info & 0xffff);
                var kind = (BtfKind)((info >> 24) & 0x1f);
                bool kindFlag = (info >> 31) != 0;
                switch (kind)
                {
                    case BtfKind.Int:
                        uint data = r.U32(at);
                        uint encoding = data >> 24;
                        int bits = (int)(data & 0xff), bitOffset = (int)((data >> 16) & 0xff);
                        at += 4;
                        list.Add(new BtfInt(name, (int)sizeOrType, (encoding & 1) != 0, (encoding & 2) != 0, (encoding & 4) != 0,
                            bits == sizeOrType * 8 ? 0 : bits, bitOffset));
                        break;
                    case BtfKind.Pointer:
                        list.Add(new BtfPointer((int)sizeOrType));
                        break;
                    case BtfKind.Array:
                        list.Add(new BtfArray(r.I32(at), r.I32(at + 4), r.I32(at + 8)));
                        at += 12;
                        break;
                    case BtfKind.Struct:
                    case BtfKind.Union:
                        var members = new BtfMember[vlen];
                        for (int i = 0; i < vlen; i++, at += 12)
                            members[i] = new BtfMember(nameAt(r.U32(at)), r.I32(at + 4), r.I32(at + 8));
                        list.Add(new BtfStruct(name, (int)sizeOrType, members, kind == BtfKind.Union, kindFlag));
                        break;
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                        var values = new BtfEnumValue[vlen];
                        int record = kind == BtfKind.Enum ? 8 : 12;
                        for (int i = 0; i < vlen; i++, at += record)
                        {
                            long value = kind == BtfKind.Enum
                                ? (kindFlag ? r.I32(at + 4) : (long)r.U32(at + 4))
                                : (long)(r.U32(at + 4) | ((ulong)r.U32(at + 8) << 32));
                            values[i] = new BtfEnumValue(nameAt(r.U32(at)), value);
                        }
                        list.Add(new BtfEnum(name, kind == BtfKind.Enum64 ? 8 : (int)sizeOrType, kindFlag, values));
                        break;
                    case BtfKind.Forward:
                        list.Add(new BtfForward(name, kindFlag));
                        break;
                    case BtfKind.Typedef:
                    case BtfKind.Volatile:
                    case BtfKind.Const:
                    case BtfKind.Restrict:
                        list.Add(new BtfModifier(kind, name, (int)sizeOrType));
                        break;
                    case BtfKind.Func:
                        list.Add(new BtfFunc(name, (int)sizeOrType, (BtfLinkage)vlen));
                        break;
                    case BtfKind.FuncProto:
                        var parameters = new BtfParameter[vlen];
                        for (int i = 0; i < vlen; i++, at += 8)
                            parameters[i] = new BtfParameter(nameAt(r.U32(at)), r.I32(at + 4));
                        list.Add(new BtfFuncProto((int)sizeOrType, parameters));
                        break;
                    case BtfKind.Var:
                        list.Add(new BtfVar(name, (int)sizeOrType, (BtfLinkage)r.U32(at)));
                        at += 4;
                        break;
                    case BtfKind.DataSection:
                        var vars = new BtfSectionVariable[vlen];
                        for (int i = 0; i < vlen; i++, at += 12)
                            vars[i] = new BtfSectionVariable(r.I32(at), r.I32(at + 4), r.I32(at + 8));
                        list.Add(new BtfDataSection(name, (int)sizeOrType, vars));
                        break;
                    case BtfKind.Float:
                    case BtfKind.TypeTag:
                        list.Add(new BtfOpaque(name, kind, info, sizeOrType, EquatableArray<byte>.Empty));
                        break;
                    case BtfKind.DeclTag:
                        list.Add(new BtfOpaque(name, kind, info, sizeOrType, r.Span(at, 4).ToArray()));
                        at += 4;
                        break;
                    default:
                        throw r.Error(start, $"unknown BTF kind {(int)kind}");
                }
            }
            return list;
        }
    }
}
