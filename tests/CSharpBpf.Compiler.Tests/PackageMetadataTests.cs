using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Issue #15: what the CSharpBpf package says about itself, as a company's package review reads it.</summary>
public sealed class PackageMetadataTests : IDisposable
{
    private readonly string _feed = Directory.CreateTempSubdirectory("csharpbpf-package-").FullName;

    [Fact]
    public void The_package_carries_license_readme_icon_urls_tags_and_a_symbols_package()
    {
        PackageFeed.PackLibrary(_feed);
        using var package = ZipFile.OpenRead(Path.Combine(_feed, "CSharpBpf.0.1.0.nupkg"));
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Field("readme"));
        Assert.Equal("icon.png", Field("icon"));
        Assert.StartsWith("https://", Field("projectUrl"));
        Assert.Contains("ebpf", Field("tags").Split(' '));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        foreach (var file in new[] { "README.md", "icon.png", "LICENSE", "lib/net10.0/CSharpBpf.dll", "lib/net10.0/CSharpBpf.Bytecode.dll", "analyzers/dotnet/cs/CSharpBpf.Generator.dll", "docs/diagnostics/BPF0001.md" })
            Assert.Contains(package.Entries, e => e.FullName == file);

        using var symbols = ZipFile.OpenRead(Path.Combine(_feed, "CSharpBpf.0.1.0.snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName == "lib/net10.0/CSharpBpf.pdb");
    }

    public void Dispose() => Directory.Delete(_feed, recursive: true);
}
