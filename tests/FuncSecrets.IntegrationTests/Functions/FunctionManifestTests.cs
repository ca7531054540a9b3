using System.Text.Json.Nodes;
using System.Xml.Linq;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Host.Functions;
using FuncSecrets.Host.Standalone;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// host.json and the function.json files against what the custom handler expects of them: the
/// contract lives in two places (JSON the Functions host reads, C# the handler runs), so it is
/// checked here rather than trusted.
/// </summary>
public sealed class FunctionManifestTests
{
    private static readonly string Root = AzuriteFixture.FindRepositoryRoot();

    private static JsonObject Read(params string[] path) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine([Root, .. path])))!;

    private static JsonObject Binding(string function, string type) =>
        Read(function, "function.json")["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => (string?)b["type"] == type);

    [Fact]
    public void HostJson_CustomHandler_StartsThePublishedHostWithProxying()
    {
        var host = Read("host.json");

        Assert.Equal("2.0", (string?)host["version"]);
        var handler = host["customHandler"]!.AsObject();
        Assert.Equal("bin/FuncSecrets.Host", (string?)handler["description"]!["defaultExecutablePath"]);
        Assert.True((bool?)handler["enableProxyingHttpRequest"]);
        Assert.Null(handler["enableForwardingHttpRequest"]);
        Assert.Equal(string.Empty, (string?)host["extensions"]!["http"]!["routePrefix"]);
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)host["extensionBundle"]!["id"]);

        // The executable name is the host project's assembly name (package.sh publishes it to bin/).
        var project = XDocument.Load(Path.Combine(Root, "src", "FuncSecrets.Host", "FuncSecrets.Host.csproj"));
        Assert.Equal("FuncSecrets.Host", project.Descendants("AssemblyName").Single().Value);
    }

    [Fact]
    public void FunctionFolders_MatchTheHandlersFunctions()
    {
        var folders = Directory.GetDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(FunctionNames.All.Order(StringComparer.Ordinal), folders);
        Assert.Equal(PurgeDeletedSecretsJob.JobName, FunctionNames.PurgeDeletedSecrets);
    }

    [Fact]
    public void SecretsApi_AnonymousCatchAllForGetAndPost_WithHttpOutput()
    {
        var trigger = Binding(FunctionNames.SecretsApi, "httpTrigger");

        Assert.Equal("in", (string?)trigger["direction"]);
        // SigV4 is the authentication; a function key would be a second, non-AWS credential.
        Assert.Equal("anonymous", (string?)trigger["authLevel"]);
        // A catch-all parameter also matches the empty path, so "/" (where SDKs post) is covered;
        // the host never routes /admin/* to functions (WebJobsRouter skips it).
        Assert.Equal("{*path}", (string?)trigger["route"]);
        Assert.Equal(["get", "post"], trigger["methods"]!.AsArray().Select(m => (string?)m).Order());
        Assert.Equal("out", (string?)Binding(FunctionNames.SecretsApi, "http")["direction"]);
    }

    [Theory]
    [InlineData(FunctionNames.PurgeDeletedSecrets, "PurgeSchedule")]
    [InlineData(FunctionNames.RotateSecrets, "RotateSchedule")]
    public void TimerFunction_ScheduleComesFromTheJobsSettings(string function, string setting)
    {
        var trigger = Binding(function, "timerTrigger");

        // "%A__B%" never resolves (azure-functions-host#10246): the name resolver looks names up in
        // IConfiguration, where the app setting A__B is the key A:B.
        Assert.Equal($"%{JobsOptions.SectionName}:{setting}%", (string?)trigger["schedule"]);
        Assert.True((bool?)trigger["useMonitor"]);
        Assert.False((bool?)trigger["runOnStartup"]);
        Assert.Single(Read(function, "function.json")["bindings"]!.AsArray());
    }

    [Fact]
    public void JobsOptions_DefaultSchedules_AreSixFieldNcrontab()
    {
        foreach (var schedule in new[] { JobsOptions.DefaultPurgeSchedule, JobsOptions.DefaultRotateSchedule })
        {
            Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}
