using System;
using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>One kernel function traced two ways: a kprobe reads do_sys_openat2's arguments from the saved registers
/// (PtRegs), an fentry program reads them as BTF types them, and a kretprobe and an fexit program read its result; for
/// every call a process the test starts makes, all four must agree, and agree with what the process asked for.</summary>
public sealed class ArgumentAgreementTests
{
    private const int AtFdcwd = -100, OWronly = 0x1, OCreat = 0x40, Enoent = 2;

    [KprobeAndTrampolineFact]
    public void A_kprobe_and_an_fentry_program_read_the_same_arguments_and_results_of_do_sys_openat2()
    {
        // touch under a name of its own, so the programs record its opens and nobody else's.
        string dir = Directory.CreateTempSubdirectory("csbpf-opens-").FullName;
        string opener = Path.Combine(dir, "csbpf-opener");
        File.Copy("/usr/bin/touch", opener); // with its mode: executable
        string created = Path.Combine(dir, "created"), impossible = Path.Combine(dir, "no-such-dir", "file");

        var spec = OpenArgumentProbes.Open();
        spec.Target = Comm.From("csbpf-opener");
        using var probes = spec.Load();
        using (probes.OnEntryKprobe.Attach())
        using (probes.OnEntryFentry.Attach())
        using (probes.OnReturnKretprobe.Attach())
        using (probes.OnReturnFexit.Attach())
        {
            var run = ExternalTool.Run(opener, created, impossible);
            Assert.Equal(1, run.ExitCode); // touch created one file and could not create the other
        }

        long calls = probes.Counts[0];
        Assert.InRange(calls, 3, 63); // the dynamic loader's opens, then touch's two
        Assert.Equal(new[] { calls, calls, calls }, new[] { probes.Counts[1], probes.Counts[2], probes.Counts[3] });
        var byKprobe = Enumerable.Range(0, (int)calls).Select(i => probes.ByKprobe[(uint)i]).ToList();
        var byFentry = Enumerable.Range(0, (int)calls).Select(i => probes.ByFentry[(uint)i]).ToList();
        for (int i = 0; i < calls; i++)
        {
            var (k, f) = (byKprobe[i], byFentry[i]);
            Assert.Equal((k.Dfd, k.Flags, k.Mode, k.Path.ToString()), (f.Dfd, f.Flags, f.Mode, f.Path.ToString()));
            Assert.Equal(probes.ResultByKretprobe[(uint)i], probes.ResultByFexit[(uint)i]);
        }

        // touch opens each file with openat(AT_FDCWD, path, O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK, 0666).
        int made = byKprobe.FindIndex(c => c.Path.ToString() == created);
        int failed = byKprobe.FindIndex(c => c.Path.ToString() == impossible);
        Assert.True(made >= 0 && failed > made, $"touch's opens among: {string.Join(", ", byKprobe.Select(c => c.Path.ToString()))}");
        foreach (var call in new[] { byKprobe[made], byKprobe[failed] })
        {
            Assert.Equal(AtFdcwd, call.Dfd);
            Assert.Equal((ulong)(OWronly | OCreat), call.Flags & (OWronly | OCreat));
            Assert.Equal(Convert.ToUInt64("666", 8), call.Mode);
        }
        Assert.InRange(probes.ResultByFexit[(uint)made], 0, 1023); // a file descriptor
        Assert.Equal(-Enoent, probes.ResultByFexit[(uint)failed]);
        Assert.True(File.Exists(created));
    }
}
