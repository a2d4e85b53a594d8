namespace CSharpBpf.Bytecode.Usdt
{
    /// <summary>
    /// How a USDT probe site's argument locations reach the program: libbpf's layout (tools/lib/bpf/usdt.bpf.h), so an
    /// object CSharpBpf compiles is attached the same by libbpf's bpf_program__attach_usdt. The loader writes one
    /// struct __bpf_usdt_spec per distinct site into the array map <see cref="SpecsMap"/> and gives the site's uprobe
    /// link that entry's index as its BPF cookie; the program reads it back with bpf_get_attach_cookie and decodes the
    /// argument it asks for. One copy, for the generator (which emits the decoder) and the loader (which fills the map).
    /// </summary>
    public static class UsdtSpecLayout
    {
        /// <summary>The array map of specs (key int, value struct __bpf_usdt_spec).</summary>
        public const string SpecsMap = "__bpf_usdt_specs";
        /// <summary>The hash map from site address to spec index that libbpf fills on kernels without BPF cookies
        /// (key long, value u32). Declared so libbpf accepts the object; CSharpBpf's loader uses cookies.</summary>
        public const string IpToSpecMap = "__bpf_usdt_ip_to_spec_id";
        /// <summary>Entries of <see cref="SpecsMap"/> (BPF_USDT_MAX_SPEC_CNT).</summary>
        public const int MaxSpecs = 256;
        /// <summary>Entries of <see cref="IpToSpecMap"/> (BPF_USDT_MAX_IP_CNT).</summary>
        public const int MaxSites = 4 * MaxSpecs;
        /// <summary>Arguments a spec describes (BPF_USDT_MAX_ARG_CNT).</summary>
        public const int MaxArguments = 12;

        /// <summary>sizeof(struct __bpf_usdt_arg_spec), bytes.</summary>
        public const int ArgumentSize = 16;
        /// <summary>Offset in an argument spec of val_off (u64): the constant, or the memory operand's displacement.</summary>
        public const int ValueOffset = 0;
        /// <summary>Offset of the 32-bit word holding arg_type (bits 0–7), idx_reg_off (bits 8–19) and scale_bitshift (bits 20–23).</summary>
        public const int TypeWordOffset = 8;
        /// <summary>Offset of reg_off (s16): the register's offset in struct pt_regs.</summary>
        public const int RegisterOffset = 12;
        /// <summary>Offset of arg_signed (u8).</summary>
        public const int SignedOffset = 14;
        /// <summary>Offset of arg_bitshift (u8): 64 minus the argument's width in bits.</summary>
        public const int BitShiftOffset = 15;

        /// <summary>Offset of usdt_cookie (u64) in struct __bpf_usdt_spec.</summary>
        public const int CookieOffset = MaxArguments * ArgumentSize;
        /// <summary>Offset of arg_cnt (s16).</summary>
        public const int CountOffset = CookieOffset + 8;
        /// <summary>sizeof(struct __bpf_usdt_spec), bytes.</summary>
        public const int Size = CountOffset + 8;

        /// <summary>arg_type BPF_USDT_ARG_CONST: the value is val_off.</summary>
        public const int Constant = 0;
        /// <summary>arg_type BPF_USDT_ARG_REG: the register at reg_off.</summary>
        public const int Register = 1;
        /// <summary>arg_type BPF_USDT_ARG_REG_DEREF: user memory at that register plus val_off.</summary>
        public const int RegisterDeref = 2;
        /// <summary>arg_type BPF_USDT_ARG_SIB: user memory at base + (index &lt;&lt; scale_bitshift) + val_off.</summary>
        public const int ScaledIndex = 3;
    }
}
