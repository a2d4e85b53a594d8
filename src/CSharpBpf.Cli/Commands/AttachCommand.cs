using System;
using System.CommandLine;
using CSharpBpf.Links;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf attach ID|PATH LINKPATH (--xdp IF [--mode M] | --tcx IF [--egress] | --tracepoint CAT/NAME | --raw-tracepoint NAME)</c>:
/// attaches a program and pins the link, so it stays attached after csbpf exits (remove the pin to detach).</summary>
public static class AttachCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var reference = new Argument<string>("program") { Description = "A program id or a path in bpffs" };
        var linkPath = new Argument<string>("link") { Description = "Where to pin the link in bpffs; deleting it detaches the program" };
        var xdp = new Option<string?>("--xdp") { Description = "Attach an XDP program to this interface" };
        var mode = new Option<XdpMode>("--mode") { Description = "XDP mode: Generic, Native or Offload", DefaultValueFactory = _ => XdpMode.Native };
        var tcx = new Option<string?>("--tcx") { Description = "Attach a tc program to this interface through tcx (ingress unless --egress)" };
        var egress = new Option<bool>("--egress") { Description = "With --tcx: attach on egress" };
        var tracepoint = new Option<string?>("--tracepoint") { Description = "Attach to category/name, e.g. syscalls/sys_enter_openat" };
        var raw = new Option<string?>("--raw-tracepoint") { Description = "Attach to a raw tracepoint, e.g. sys_enter" };
        var command = new Command("attach", "Attach a loaded program and pin the link") { reference, linkPath, xdp, mode, tcx, egress, tracepoint, raw };
        command.SetAction(parse => KernelCommandAction.Run(() =>
        {
            using var program = KernelObjectReference.Program(parse.GetValue(reference)!);
            string? category = parse.GetValue(tracepoint);
            using BpfLink link =
                parse.GetValue(xdp) is string xdpInterface ? program.AttachXdp(xdpInterface, parse.GetValue(mode))
                : parse.GetValue(tcx) is string tcxInterface ? program.AttachTcx(tcxInterface, parse.GetValue(egress) ? TcxDirection.Egress : TcxDirection.Ingress)
                : category != null ? program.AttachTracepoint(category.Split('/')[0], category.Split('/')[^1])
                : parse.GetValue(raw) is string rawName ? program.AttachRawTracepoint(rawName)
                : throw new ArgumentException("say where to attach: --xdp IF, --tcx IF, --tracepoint CAT/NAME or --raw-tracepoint NAME");
            link.Pin(parse.GetValue(linkPath)!);
            Console.Out.WriteLine($"attached: {link.Description}; pinned at {parse.GetValue(linkPath)}");
        }));
        return command;
    }
}
