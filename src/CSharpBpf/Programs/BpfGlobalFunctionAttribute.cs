using System;

namespace CSharpBpf;

/// <summary>
/// Makes a method of a <see cref="BpfObjectAttribute"/> class a global BPF function (BTF_FUNC_GLOBAL): the kernel
/// verifies it once, on its own, instead of once per call and per caller state as it does a static subprogram — what
/// keeps a helper called inside loops, or from many places, under the verifier's million instructions
/// (kernel/bpf/verifier.c: "Func#N is safe for any args that match its prototype").
/// </summary>
/// <remarks>
/// The verifier then knows only the types of its arguments, as libbpf's global functions: integers, enums and bools
/// are any value of their type; <c>ref</c>/<c>in</c>/<c>out</c> arguments and structs passed by value are pointers to
/// memory of the type's size that must not be null (test a map value before passing it); the context of an XDP or tc
/// program may be passed. It returns an integer, enum or bool, or nothing; never a ref. The caller learns nothing
/// about the returned value but its type.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BpfGlobalFunctionAttribute : Attribute
{
}
