using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

// Kernel types in the shapes `csbpf btf generate` writes them, with offsets that are wrong on purpose: pointers to structs
// this file does not declare are the opaque KernelPointer (a pointer in the object's BTF, so CO-RE relocates them), a
// typed pointer is a property over its address, a bitfield a property over the bytes that hold it.

[KernelType("task_struct")]
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct PointerTask
{
    [KernelField("tgid"), FieldOffset(0)] public int Tgid;
    [KernelField("real_cred"), FieldOffset(8)] public KernelPointer RealCred;
    [KernelField("files"), FieldOffset(16)] public KernelPointer Files;
    [KernelField("fs"), FieldOffset(24)] public KernelPointer Fs;
    [FieldOffset(32)] private ulong _realParent;
    [KernelField("real_parent", Offset = 32)]
    public KernelPointer<PointerTask> RealParent { readonly get => new(_realParent); set => _realParent = value.Address; }
    [FieldOffset(40)] private uint _bits40;
    [KernelField("in_execve", BitOffset = 323, Bits = 1)]
    public readonly byte InExecve => (byte)((_bits40 >> 3) & 1);
    [KernelField("in_iowait", BitOffset = 324, Bits = 1)]
    public readonly byte InIowait => (byte)((_bits40 >> 4) & 1);
}

[KernelType("")]
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct KuidT
{
    [KernelField("val"), FieldOffset(0)] public uint Val;
}

[KernelType("cred")]
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct Cred
{
    [KernelField("euid"), FieldOffset(0)] public KuidT Euid;
    [KernelField("uid"), FieldOffset(8)] public KuidT Uid;
}

[KernelType("")]
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct AtomicT
{
    [KernelField("counter"), FieldOffset(0)] public int Counter;
}

[KernelType("files_struct")]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct FilesStruct
{
    [KernelField("count"), FieldOffset(4)] public AtomicT Count;
}

[KernelType("path")]
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct PathStruct
{
    [KernelField("dentry"), FieldOffset(0)] public KernelPointer Dentry;
    [KernelField("mnt"), FieldOffset(8)] public KernelPointer Mnt;
}

[KernelType("fs_struct")]
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct FsStruct
{
    [KernelField("pwd"), FieldOffset(8)] public PathStruct Pwd;
}

[KernelType("qstr")]
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct Qstr
{
    [KernelField("name"), FieldOffset(0)] public KernelPointer Name;
}

[KernelType("dentry")]
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct Dentry
{
    [KernelField("d_name"), FieldOffset(16)] public Qstr DName;
}

public struct PointerResult
{
    public uint Uid, Euid;
    public int HasCred, FilesSet, FilesCount, ParentSet, InExecve, InIowait, Calls;
    public CString256 Cwd;
}

/// <summary>Reads through kernel pointers to structs a generated task_struct leaves opaque (its cred, files and fs, and
/// the cwd dentry's name), a typed pointer property and bitfields, all through CO-RE.</summary>
[BpfObject]
public static partial class CorePointers
{
    static readonly BpfArray<PointerResult> Results = new(maxEntries: 1);

    /// <summary>The process whose getppid calls count (set before load).</summary>
    static readonly int TargetPid = 0;

    [Tracepoint("syscalls", "sys_enter_getppid")]
    public static int OnGetppid(TracepointContext ctx)
    {
        var task = Bpf.GetCurrentTask<PointerTask>();
        if (task.Value.Tgid != TargetPid) return 0;
        ref PointerResult r = ref Results.GetValueRefOrNullRef(0);
        if (Unsafe.IsNullRef(ref r)) return 0;
        var cred = task.Value.RealCred.As<Cred>();
        r.Uid = cred.Value.Uid.Val;
        r.Euid = cred.Value.Euid.Val;
        r.HasCred = Bpf.FieldExists(task.Value.RealCred) ? 1 : 0;
        var files = task.Value.Files;
        r.FilesSet = files != default ? 1 : 0;
        if (!files.IsNull) r.FilesCount = files.As<FilesStruct>().Value.Count.Counter;
        r.ParentSet = task.Value.RealParent == default ? 0 : 1;
        r.InExecve = task.Value.InExecve;
        r.InIowait = task.Value.InIowait;
        var pwd = task.Value.Fs.As<FsStruct>().Value.Pwd.Dentry.As<Dentry>();
        Bpf.ProbeReadKernelString(pwd.Value.DName.Name.Address, out r.Cwd);
        r.Calls++;
        return 0;
    }
}
