using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Isa
{
    /// <summary>Encodes instructions to their little-endian bytes and decodes them back, refusing
    /// any instruction whose reserved fields are set (<see cref="InstructionValidator"/>).</summary>
    public static class InstructionEncoding
    {
        /// <summary>Size of one slot in bytes.</summary>
        public const int SlotSize = 8;

        /// <summary>Total slots of a program (lddw counts two).</summary>
        public static int CountSlots(IReadOnlyList<Instruction> program)
        {
            int slots = 0;
            for (int i = 0; i < program.Count; i++) slots += program[i].SlotCount;
            return slots;
        }

        /// <summary>Encodes a program.</summary>
        public static byte[] Encode(IReadOnlyList<Instruction> program)
        {
            var bytes = new byte[CountSlots(program) * SlotSize];
            int position = 0;
            for (int i = 0; i < program.Count; i++)
                position += Encode(program[i], bytes.AsSpan(position));
            return bytes;
        }

        /// <summary>Encodes one instruction into <paramref name="destination"/>; returns the bytes written (8 or 16).</summary>
        public static int Encode(in Instruction instruction, Span<byte> destination)
        {
            WriteSlot(destination, instruction.Opcode, (byte)instruction.Destination, (byte)instruction.Source, instruction.Offset, instruction.Immediate);
            if (!instruction.IsWide) return SlotSize;
            WriteSlot(destination.Slice(SlotSize), 0, 0, 0, 0, instruction.NextImmediate);
            return 2 * SlotSize;
        }

        private static void WriteSlot(Span<byte> slot, byte opcode, byte dst, byte src, short offset, int imm)
        {
            slot[0] = opcode;
            slot[1] = (byte)((dst & 0x0f) | (src << 4));
            BinaryPrimitives.WriteInt16LittleEndian(slot.Slice(2), offset);
            BinaryPrimitives.WriteInt32LittleEndian(slot.Slice(4), imm);
        }

        /// <summary>Decodes and validates a program. Throws <see cref="InstructionDecodeException"/>
        /// naming the slot index and the field for any invalid or reserved encoding.</summary>
        public static Instruction[] Decode(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length % SlotSize != 0)
                throw new InstructionDecodeException(bytes.Length / SlotSize, "length", $"program length {bytes.Length} is not a multiple of {SlotSize} bytes");
            var program = new List<Instruction>(bytes.Length / SlotSize);
            int slotCount = bytes.Length / SlotSize;
            for (int slot = 0; slot < slotCount; slot++)
            {
                var raw = ReadSlot(bytes.Slice(slot * SlotSize), slot);
                if (raw.Opcode == Opcode.LoadImmediate64)
                {
                    if (slot + 1 >= slotCount)
                        throw new InstructionDecodeException(slot, "opcode", "lddw is the last slot; its second half is missing");
                    var next = ReadSlot(bytes.Slice((slot + 1) * SlotSize), slot + 1);
                    if (next.Opcode != 0) throw new InstructionDecodeException(slot + 1, "opcode", $"the second slot of lddw must have opcode 0, has 0x{next.Opcode:x2}");
                    if (next.Destination != 0) throw new InstructionDecodeException(slot + 1, "dst", "the second slot of lddw must have dst 0");
                    if (next.Source != 0) throw new InstructionDecodeException(slot + 1, "src", "the second slot of lddw must have src 0");
                    if (next.Offset != 0) throw new InstructionDecodeException(slot + 1, "offset", "the second slot of lddw must have offset 0");
                    raw = new Instruction(raw.Opcode, raw.Destination, raw.Source, raw.Offset, raw.Immediate, next.Immediate);
                    InstructionValidator.Validate(raw, slot);
                    program.Add(raw);
                    slot++;
                    continue;
                }
                InstructionValidator.Validate(raw, slot);
                program.Add(raw);
            }
            return program.ToArray();
        }

        private static Instruction ReadSlot(ReadOnlySpan<byte> slot, int index)
        {
            int regs = slot[1];
            // Register fields are 4 bits wide but only r0–r10 exist; lddw and call reuse src for small enums, also ≤ 10.
            if ((regs & 0x0f) > 10) throw new InstructionDecodeException(index, "dst", $"register r{regs & 0x0f} does not exist (r0–r10)");
            if ((regs >> 4) > 10) throw new InstructionDecodeException(index, "src", $"register r{regs >> 4} does not exist (r0–r10)");
            return new Instruction(slot[0], (Register)(regs & 0x0f), (Register)(regs >> 4),
                BinaryPrimitives.ReadInt16LittleEndian(slot.Slice(2)), BinaryPrimitives.ReadInt32LittleEndian(slot.Slice(4)));
        }
    }

    /// <summary>An encoding that RFC 9669 does not define, or that sets a field it reserves.</summary>
    public sealed class InstructionDecodeException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        public InstructionDecodeException(int index, string field, string reason)
            : base($"instruction {index}: {reason} (field '{field}')")
        {
            Index = index;
            Field = field;
            Reason = reason;
        }

        /// <summary>The slot index of the offending instruction.</summary>
        public int Index { get; }
        /// <summary>The field at fault: opcode, dst, src, offset, imm or length.</summary>
        public string Field { get; }
        /// <summary>What is wrong, without the location.</summary>
        public string Reason { get; }
    }
}
