using System;

namespace CSharpBpf;

/// <summary>How a map update treats an existing key (BPF_ANY, BPF_NOEXIST, BPF_EXIST).</summary>
[Flags]
public enum UpdateFlags : ulong
{
    /// <summary>Create or replace.</summary>
    Any = 0,
    /// <summary>Create only; fail when the key exists.</summary>
    NoExist = 1,
    /// <summary>Replace only; fail when the key is absent.</summary>
    Exist = 2,
}
