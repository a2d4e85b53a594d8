using System.IO;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace CSharpBpf.Samples.Tests;

/// <summary>deploy/: the DaemonSet that runs syscount on every node, checked against what Kubernetes requires of a
/// DaemonSet and what the sample needs (kubectl is not installable from Debian here, so this is the schema check).</summary>
public sealed class DeploymentTests
{
    private static YamlMappingNode Node(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];
    private static YamlSequenceNode Sequence(YamlNode node, string key) => (YamlSequenceNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];
    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    [Fact]
    public void The_daemonset_runs_syscount_privileged_with_the_host_filesystems_and_exposes_its_metrics()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes", "syscount.yaml"))));
        var documents = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        Assert.All(documents, d => { Assert.NotEmpty(Scalar(d, "apiVersion")); Assert.NotEmpty(Scalar(Node(d, "metadata"), "name")); });
        var daemonSet = documents.Single(d => Scalar(d, "kind") == "DaemonSet");
        Assert.Equal("apps/v1", Scalar(daemonSet, "apiVersion"));
        Assert.Contains(documents, d => Scalar(d, "kind") == "Namespace" && Scalar(Node(d, "metadata"), "name") == Scalar(Node(daemonSet, "metadata"), "namespace"));

        var spec = Node(daemonSet, "spec");
        var template = Node(spec, "template");
        var selector = Node(Node(spec, "selector"), "matchLabels");
        var labels = Node(Node(template, "metadata"), "labels");
        foreach (var (key, value) in selector.Children) Assert.Equal(value, labels.Children[key]); // apps/v1 requires it

        var pod = Node(template, "spec");
        Assert.Equal("true", Scalar(pod, "hostPID"));
        var container = (YamlMappingNode)Sequence(pod, "containers").Single();
        Assert.Equal("true", Scalar(Node(container, "securityContext"), "privileged"));
        var args = Sequence(container, "args").Select(a => ((YamlScalarNode)a).Value).ToList();
        int port = int.Parse(args[args.IndexOf("--prometheus") + 1]!);
        var ports = Sequence(container, "ports").Cast<YamlMappingNode>();
        Assert.Contains(ports, p => Scalar(p, "containerPort") == port.ToString());
        Assert.Equal(port.ToString(), Scalar(Node(Node(template, "metadata"), "annotations"), "prometheus.io/port"));

        var volumes = Sequence(pod, "volumes").Cast<YamlMappingNode>().ToDictionary(v => Scalar(v, "name"), v => Scalar(Node(v, "hostPath"), "path"));
        var mounts = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().ToDictionary(m => Scalar(m, "mountPath"), m => Scalar(m, "name"));
        foreach (var path in new[] { "/sys/kernel/tracing", "/sys/fs/bpf" })
            Assert.Equal(path, volumes[mounts[path]]);
    }

    [Fact]
    public void The_container_file_publishes_the_sample_the_daemonset_runs()
    {
        string containerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Containerfile"));
        Assert.Contains("dotnet publish samples/syscount", containerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/syscount.dll\"]", containerfile);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "samples", "syscount", "syscount.csproj")));
    }
}
