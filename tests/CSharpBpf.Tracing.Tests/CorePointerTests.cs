using System;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>Pointers to kernel structs the program does not declare are pointers in the object's BTF: reading cred,
/// files and the cwd's dentry name through them relocates and loads, in our loader and in libbpf, and reads what /proc says.</summary>
public sealed class CorePointerTests
{
    [KernelFact]
    public void Reads_through_opaque_and_typed_pointers_and_bitfields_match_proc()
    {
        var spec = CorePointers.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        using (probes.OnGetppid.Attach()) Native.getppid();

        var r = probes.Results[0];
        Assert.True(r.Calls >= 1, "the program ran");
        var status = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((uint.Parse(status[1]), uint.Parse(status[2])), (r.Uid, r.Euid));   // real_cred->uid.val, ->euid.val
        Assert.Equal(1, r.HasCred);                                                      // Bpf.FieldExists on an opaque pointer
        Assert.Equal(1, r.FilesSet);                                                     // files != default
        Assert.True(r.FilesCount >= 1, $"files->count {r.FilesCount}");                  // a struct behind an opaque pointer
        Assert.Equal(1, r.ParentSet);                                                    // a typed pointer property, == default
        Assert.Equal((0, 0), (r.InExecve, r.InIowait));                                  // bitfields: not exec'ing, not waiting on I/O
        string cwd = Environment.CurrentDirectory == "/" ? "/" : new DirectoryInfo(Environment.CurrentDirectory).Name;
        Assert.Equal(cwd, r.Cwd.ToString());                                              // fs->pwd.dentry->d_name.name
    }

    /// <summary>LoadOptions.KernelBtf (libbpf's btf_custom_path): the relocations are resolved against a BTF file, as for a
    /// kernel without built-in BTF and a file from BTFHub; here a copy of this kernel's, so the reads still match /proc.</summary>
    [KernelFact]
    public void Relocations_resolve_against_a_btf_file_given_at_load()
    {
        string copy = Path.Combine(Directory.CreateTempSubdirectory("csbpf-btf-").FullName, "vmlinux.btf");
        File.Copy(CSharpBpf.Loading.KernelBtf.VmlinuxPath, copy);
        var spec = CorePointers.Open();
        spec.TargetPid = Environment.ProcessId;
        using (var probes = spec.Load(new CSharpBpf.Loading.LoadOptions { KernelBtf = copy }))
        {
            using (probes.OnGetppid.Attach()) Native.getppid();
            var r = probes.Results[0];
            Assert.True(r.Calls >= 1, "the program ran");
            Assert.Equal(Environment.CurrentDirectory == "/" ? "/" : new DirectoryInfo(Environment.CurrentDirectory).Name, r.Cwd.ToString());
        }
        var missing = CorePointers.Open();
        Assert.Throws<FileNotFoundException>(() => missing.Load(new CSharpBpf.Loading.LoadOptions { KernelBtf = copy + ".absent" }));
    }

    [KernelFact]
    public void Libbpf_resolves_the_same_relocations()
    {
        string obj = Path.Combine(Directory.CreateTempSubdirectory("csbpf-core-pointers-").FullName, "CorePointers.bpf.o");
        File.WriteAllBytes(obj, CorePointers.ObjectFile);
        string pins = $"/sys/fs/bpf/csbpf-core-pointers-{Environment.ProcessId}";
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", obj, pins).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(pins, "OnGetppid")));
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }
}
