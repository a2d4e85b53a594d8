using System;
using System.Reflection;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>Runs a program as the plain .NET method it is, over the managed contexts and maps.</summary>
public static class ManagedRunner
{
    public static RunResult Run(CorpusProgram program, byte[] frame)
    {
        if (program.IsXdp)
        {
            var ctx = new XdpContext(frame);
            var action = (XdpAction)Invoke(program.Method, ctx)!;
            return new RunResult((uint)action, ctx.ToArray());
        }
        if (program.IsSocketFilter)
            return new RunResult(Convert.ToUInt32(Invoke(program.Method, SkBuff.ForSocketFilter(frame))), null);
        var skb = SkBuff.ForTrafficControl(frame);
        object? result;
        try { result = Invoke(program.Method, skb); }
        catch (BpfTailCallException tail) { result = tail.Result; }
        return new RunResult(unchecked((uint)(int)result!), skb.ToArray());
    }

    private static object? Invoke(MethodInfo method, object context)
    {
        try { return method.Invoke(null, new[] { context }); }
        catch (TargetInvocationException e) when (e.InnerException != null) { throw e.InnerException; }
    }
}
