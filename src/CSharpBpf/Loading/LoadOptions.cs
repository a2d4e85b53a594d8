namespace CSharpBpf.Loading;

/// <summary>How <see cref="BpfObjectFile.Load(LoadOptions)"/> loads an object.</summary>
public sealed record LoadOptions
{
    /// <summary>A BTF file to resolve CO-RE relocations against instead of /sys/kernel/btf/vmlinux (libbpf's
    /// <c>btf_custom_path</c>): for kernels built without CONFIG_DEBUG_INFO_BTF, with a file from BTFHub or
    /// <c>pahole --btf_encode_detached</c> for exactly the running kernel. Kernel function ids and the attach targets of
    /// BTF-typed programs still come from the running kernel, as in libbpf. Null: the running kernel's BTF.</summary>
    public string? KernelBtf { get; init; }

    /// <summary>Keep each program's verifier log (statistics such as "processed N insns").</summary>
    public bool CaptureVerifierLog { get; init; }
}
