using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic
{

    /// <summary>Runs classic BPF as the Linux kernel does (net/core/filter.c: the program converted to eBPF and run
    /// there): A, X and M[0–15] are 32-bit and start at 0; a packet load outside the packet ends the program with 0;
    /// division or modulo by X = 0 ends it with 0; shifts by X use its low five bits; absolute loads at SKF_AD_OFF + n read
    /// the packet's ancillary fields; SKF_NET_OFF and SKF_LL_OFF loads count from the network and link-layer headers.
    /// Every jump goes forward, so a run takes at most one step per instruction.</summary>
    public sealed class ClassicInterpreter
    {
        private readonly ClassicInstruction[] _program;

        /// <summary>Checks <paramref name="program"/> with the kernel's rules and prepares it.</summary>
        /// <exception cref="ClassicProgramException">The kernel would refuse it: the exception lists every rule broken.</exception>
        public ClassicInterpreter(ClassicProgram program)
        {
            var errors = program.Validate();
            if (errors.Count > 0) throw new ClassicProgramException(errors);
            _program = program.ToArray();
        }

        /// <summary>Checks <paramref name="program"/> with seccomp's rules (<see cref="Seccomp.SeccompValidator"/>) and prepares it
        /// for <see cref="RunSeccomp"/>.</summary>
        /// <exception cref="ClassicProgramException">seccomp(2) would refuse it: the exception lists every rule broken.</exception>
        public static ClassicInterpreter ForSeccomp(ClassicProgram program)
        {
            var errors = Seccomp.SeccompValidator.Validate(program);
            if (errors.Count > 0) throw new ClassicProgramException(errors);
            return new ClassicInterpreter(program);
        }

        /// <summary>Runs a seccomp filter on <paramref name="seccompData"/> (struct seccomp_data, 64 bytes in the native
        /// little-endian layout of x86-64 and arm64) and returns the action (SECCOMP_RET_*).</summary>
        /// <exception cref="System.ArgumentException"><paramref name="seccompData"/> is not 64 bytes.</exception>
        public uint RunSeccomp(ReadOnlySpan<byte> seccompData)
        {
            if (seccompData.Length != Seccomp.SeccompAbi.DataSize)
                throw new ArgumentException($"struct seccomp_data is {Seccomp.SeccompAbi.DataSize} bytes, not {seccompData.Length}", nameof(seccompData));
            // seccomp's ld [k] reads a native-order word where a socket filter's reads big-endian: with each word's bytes
            // reversed, the packet loads below read exactly what seccomp_bpf_load gives (seccomp allows only aligned words).
            var words = new byte[seccompData.Length];
            for (int i = 0; i < words.Length; i += 4)
                BinaryPrimitives.WriteUInt32BigEndian(words.AsSpan(i), BinaryPrimitives.ReadUInt32LittleEndian(seccompData.Slice(i)));
            return Run(new ClassicPacket(words));
        }

        /// <summary>Runs the program on <paramref name="packet"/> and returns what its <c>ret</c> gives: for a socket
        /// filter the number of bytes to keep (0 drops), for seccomp the action.</summary>
        public uint Run(ClassicPacket packet)
        {
            var data = packet.Data.Span;
            uint a = 0, x = 0;
            Span<uint> scratch = stackalloc uint[ClassicValidator.ScratchSlots];
            scratch.Clear();
            for (int pc = 0; ; pc++)
            {
                var ins = _program[pc];
                switch (ins.Class)
                {
                    case ClassicClass.Ld:
                        switch (ins.Mode)
                        {
                            case ClassicMode.Absolute:
                                if ((int)ins.K >= 0)
                                {
                                    if (!LoadAt(data, ins.K, ins.LoadSize, out a)) return 0;
                                    break;
                                }
                                if (ClassicOffsets.TryGetAncillary(ins.K, out var field))
                                {
                                    a = Ancillary(field, packet, a, x);
                                    break;
                                }
                                if (!TryLoad(packet, data, (int)ins.K, ins.LoadSize, out a)) return 0;
                                break;
                            case ClassicMode.Indirect:
                                uint at = x + ins.K;
                                if ((int)at >= 0 ? !LoadAt(data, at, ins.LoadSize, out a) : !TryLoad(packet, data, (int)at, ins.LoadSize, out a)) return 0;
                                break;
                            case ClassicMode.Immediate: a = ins.K; break;
                            case ClassicMode.Memory: a = scratch[(int)ins.K]; break;
                            case ClassicMode.Length: a = (uint)data.Length; break;
                        }
                        break;
                    case ClassicClass.Ldx:
                        switch (ins.Mode)
                        {
                            case ClassicMode.Immediate: x = ins.K; break;
                            case ClassicMode.Memory: x = scratch[(int)ins.K]; break;
                            case ClassicMode.Length: x = (uint)data.Length; break;
                            case ClassicMode.MultiplyShift:
                                if (!TryLoad(packet, data, (int)ins.K, ClassicSize.Byte, out uint b)) return 0;
                                x = (b & 0xf) << 2;
                                break;
                        }
                        break;
                    case ClassicClass.St: scratch[(int)ins.K] = a; break;
                    case ClassicClass.Stx: scratch[(int)ins.K] = x; break;
                    case ClassicClass.Alu:
                        uint operand = ins.UsesX ? x : ins.K;
                        switch (ins.AluOperation)
                        {
                            case ClassicAluOperation.Add: a += operand; break;
                            case ClassicAluOperation.Sub: a -= operand; break;
                            case ClassicAluOperation.Mul: a *= operand; break;
                            case ClassicAluOperation.Div:
                                if (operand == 0) return 0;
                                a /= operand;
                                break;
                            case ClassicAluOperation.Mod:
                                if (operand == 0) return 0;
                                a %= operand;
                                break;
                            case ClassicAluOperation.And: a &= operand; break;
                            case ClassicAluOperation.Or: a |= operand; break;
                            case ClassicAluOperation.Xor: a ^= operand; break;
                            case ClassicAluOperation.Lsh: a <<= (int)(operand & 31); break;
                            case ClassicAluOperation.Rsh: a >>= (int)(operand & 31); break;
                            case ClassicAluOperation.Neg: a = unchecked(0u - a); break;
                        }
                        break;
                    case ClassicClass.Jmp:
                        if (ins.JumpOperation == ClassicJumpOperation.Always)
                        {
                            pc += (int)ins.K;
                            break;
                        }
                        uint right = ins.UsesX ? x : ins.K;
                        bool taken = ins.JumpOperation switch
                        {
                            ClassicJumpOperation.Equal => a == right,
                            ClassicJumpOperation.Greater => a > right,
                            ClassicJumpOperation.GreaterOrEqual => a >= right,
                            _ => (a & right) != 0,
                        };
                        pc += taken ? ins.Jt : ins.Jf;
                        break;
                    case ClassicClass.Ret:
                        return ins.Code == ClassicOpcode.RetA ? a : ins.K;
                    case ClassicClass.Misc:
                        if (ins.Code == ClassicOpcode.Tax) x = a;
                        else a = x;
                        break;
                }
            }
        }

        /// <summary>A big-endian load of <paramref name="size"/> bytes at a non-negative offset of the data.</summary>
        private static bool LoadAt(ReadOnlySpan<byte> data, uint offset, ClassicSize size, out uint value)
        {
            switch (size)
            {
                case ClassicSize.Byte:
                    if (offset >= (uint)data.Length) break;
                    value = data[(int)offset];
                    return true;
                case ClassicSize.Half:
                    if (offset + 2 > (uint)data.Length) break;
                    value = BinaryPrimitives.ReadUInt16BigEndian(data.Slice((int)offset));
                    return true;
                default:
                    if (offset + 4 > (uint)data.Length) break;
                    value = BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)offset));
                    return true;
            }
            value = 0;
            return false;
        }

        /// <summary>A big-endian load of <paramref name="size"/> at <paramref name="offset"/>: from the data for offsets
        /// ≥ 0, from the network or link-layer header for SKF_NET_OFF/SKF_LL_OFF offsets (bpf_internal_load_pointer_neg_helper).</summary>
        private static bool TryLoad(ClassicPacket packet, ReadOnlySpan<byte> data, int offset, ClassicSize size, out uint value)
        {
            value = 0;
            long at = offset;
            if (offset < 0)
            {
                if (offset >= ClassicOffsets.Network) at = (long)packet.NetworkHeaderOffset + offset - ClassicOffsets.Network;
                else if (offset >= ClassicOffsets.LinkLayer) at = (long)packet.LinkLayerHeaderOffset + offset - ClassicOffsets.LinkLayer;
                else return false;
            }
            int width = size switch { ClassicSize.Byte => 1, ClassicSize.Half => 2, _ => 4 };
            if (at < 0 || at + width > data.Length) return false;
            var bytes = data.Slice((int)at, width);
            value = width switch
            {
                1 => bytes[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
                _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            };
            return true;
        }

        private static uint Ancillary(ClassicAncillary field, ClassicPacket packet, uint a, uint x) => field switch
        {
            ClassicAncillary.Protocol => packet.Protocol,
            ClassicAncillary.PacketType => packet.PacketType,
            ClassicAncillary.InterfaceIndex => (uint)packet.InterfaceIndex,
            ClassicAncillary.NetlinkAttribute => NetlinkAttribute(packet.Data.Span, a, x, nested: false),
            ClassicAncillary.NetlinkAttributeNested => NetlinkAttribute(packet.Data.Span, a, x, nested: true),
            ClassicAncillary.Mark => packet.Mark,
            ClassicAncillary.Queue => packet.Queue,
            ClassicAncillary.HardwareType => packet.HardwareType,
            ClassicAncillary.ReceiveHash => packet.ReceiveHash,
            ClassicAncillary.Cpu => (uint)packet.Cpu,
            ClassicAncillary.AluXorX => a ^ x,
            ClassicAncillary.VlanTag => packet.VlanTag ?? 0,
            ClassicAncillary.VlanTagPresent => packet.VlanTag.HasValue ? 1u : 0u,
            ClassicAncillary.PayloadOffset => packet.PayloadOffset,
            ClassicAncillary.Random => packet.NextRandom(),
            ClassicAncillary.VlanTpid => packet.VlanTag.HasValue ? packet.VlanTpid : 0u,
            _ => 0,
        };

        /// <summary>bpf_skb_get_nlattr(_nest): the offset of the first attribute of type X (flags masked off) among the
        /// attributes at offset A — or nested in the attribute at A — or 0. Attribute headers are host-order u16 length
        /// and type, each attribute aligned to 4 bytes (include/net/netlink.h nla_find).</summary>
        private static uint NetlinkAttribute(ReadOnlySpan<byte> data, uint a, uint x, bool nested)
        {
            const int header = 4;
            if (data.Length < header || a > (uint)(data.Length - header)) return 0;
            int start = (int)a, length = data.Length - start;
            if (nested)
            {
                int outer = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(start));
                if (outer > length) return 0;
                start += header;
                length = outer - header;
            }
            while (length >= header)
            {
                int attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(start));
                int type = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(start + 2)) & 0x3fff;
                if (attributeLength < header || attributeLength > length) break;
                if (type == x) return (uint)start;
                int aligned = (attributeLength + 3) & ~3;
                start += aligned;
                length -= aligned;
            }
            return 0;
        }
    }
}
