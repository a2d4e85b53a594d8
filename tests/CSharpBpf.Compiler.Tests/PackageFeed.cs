using System.IO;
using CSharpBpf.Testing;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Packs this build's packages into a private feed, as scripts/pack.sh does, for the tests that take a user's road.</summary>
internal static class PackageFeed
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>dotnet output kept out of the test's own: no telemetry banner, no logo.</summary>
    public static readonly ExternalTool.Options Quiet = new(TimeoutSeconds: 300, Environment: new[] { ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"), ("DOTNET_NOLOGO", "1") });

    /// <summary>Packs CSharpBpf (as built) into <paramref name="feed"/>.</summary>
    public static void PackLibrary(string feed) =>
        ExternalTool.Run(Quiet, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "src", "CSharpBpf"), "-c", Configuration, "--no-build", "-o", feed).EnsureSuccess();

    /// <summary>Packs the dotnet new templates into <paramref name="feed"/>.</summary>
    public static void PackTemplates(string feed) =>
        ExternalTool.Run(Quiet, "dotnet", "pack", Path.Combine(RepositoryPaths.Root, "templates"), "-c", Configuration, "-o", feed).EnsureSuccess();
}
