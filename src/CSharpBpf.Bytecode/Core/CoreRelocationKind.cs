namespace CSharpBpf.Bytecode.Core
{
    /// <summary>What a CO-RE relocation asks of the target kernel's BTF (enum bpf_core_relo_kind,
    /// include/uapi/linux/bpf.h; libbpf's bpf_core_read.h names the C forms).</summary>
    public enum CoreRelocationKind
    {
        /// <summary>The field's byte offset (BPF_CORE_READ's accesses).</summary>
        FieldByteOffset = 0,
        /// <summary>The field's size in bytes (bpf_core_field_size).</summary>
        FieldByteSize = 1,
        /// <summary>1 when the kernel has the field, else 0 (bpf_core_field_exists).</summary>
        FieldExists = 2,
        /// <summary>1 when the field is signed.</summary>
        FieldSigned = 3,
        /// <summary>The left shift that isolates a bitfield in a 64-bit load.</summary>
        FieldLeftShift = 4,
        /// <summary>The right shift that isolates a bitfield in a 64-bit load.</summary>
        FieldRightShift = 5,
        /// <summary>The type's id in the object's own BTF.</summary>
        TypeIdLocal = 6,
        /// <summary>The type's id in the kernel's BTF.</summary>
        TypeIdTarget = 7,
        /// <summary>1 when the kernel has the type (bpf_core_type_exists).</summary>
        TypeExists = 8,
        /// <summary>The type's size in bytes (bpf_core_type_size).</summary>
        TypeSize = 9,
        /// <summary>1 when the kernel's enum has the enumerator (bpf_core_enum_value_exists).</summary>
        EnumValueExists = 10,
        /// <summary>The enumerator's value in the kernel (bpf_core_enum_value).</summary>
        EnumValue = 11,
        /// <summary>1 when the kernel's type matches the local one (bpf_core_type_matches).</summary>
        TypeMatches = 12,
    }
}
