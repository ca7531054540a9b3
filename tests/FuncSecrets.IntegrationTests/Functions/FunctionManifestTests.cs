using System.Text.Json.Nodes;
using FuncSecrets.Core.Jobs;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.Server;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The worker's build output against what the Functions host needs from it: the
/// <c>functions.metadata</c> the SDK generates from the <c>[Function]</c> attributes (what the
/// host indexes without starting the worker), <c>worker.config.json</c>, and host.json. Proof
/// number one that the worker is what Azure expects, without the Core Tools.
/// </summary>
public sealed class FunctionManifestTests
{
    private static readonly string Root = AzuriteFixture.FindRepositoryRoot();

    private static JsonObject Function(string name) =>
        WorkerBuild.Metadata().Select(f => f!.AsObject()).Single(f => (string?)f["name"] == name);

    private static JsonObject Trigger(string function) =>
        Function(function)["bindings"]!.AsArray().Select(b => b!.AsObject())
            .Single(b => ((string?)b["type"])!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void FunctionsMetadata_Build_DeclaresTheFourFunctionsOfTheWorker()
    {
        var functions = WorkerBuild.Metadata().Select(f => f!.AsObject()).ToList();

        Assert.Equal(["PurgeDeletedSecrets", "ReplicateSecrets", "RotateSecrets", "SecretsApi"], functions.Select(f => (string?)f["name"]).Order(StringComparer.Ordinal));
        Assert.All(functions, f =>
        {
            Assert.Equal("dotnet-isolated", (string?)f["language"]);
            Assert.Equal(WorkerBuild.AssemblyFileName, (string?)f["scriptFile"]);
            Assert.StartsWith("FuncSecrets.Functions.", (string?)f["entryPoint"], StringComparison.Ordinal);
        });
        Assert.True(File.Exists(WorkerBuild.AssemblyPath));
    }

    [Fact]
    public void SecretsApi_Metadata_IsAnAnonymousCatchAllForTheApiMethods()
    {
        var bindings = Function("SecretsApi")["bindings"]!.AsArray();
        var trigger = Trigger("SecretsApi");

        Assert.Equal("httpTrigger", (string?)trigger["type"]);
        Assert.Equal("In", (string?)trigger["direction"]);

        // SigV4 is the authentication; a function key would be a second, non-AWS credential.
        Assert.Equal("anonymous", ((string?)trigger["authLevel"])!.ToLowerInvariant());

        // A catch-all parameter also matches the empty path, so "/" (where SDKs post) is covered,
        // and every other path (the console's /console included) reaches the pipeline.
        Assert.Equal("{*path}", (string?)trigger["route"]);

        // JSON 1.1 posts; Query is GET or form POST; HEAD / is the readiness ping.
        Assert.Equal(["get", "head", "post"], trigger["methods"]!.AsArray().Select(m => (string?)m).Order(StringComparer.Ordinal));

        // The pipeline writes the response itself (ASP.NET Core integration): no output binding.
        Assert.Single(bindings);
    }

    [Theory]
    [InlineData(PurgeDeletedSecretsJob.JobName, "PurgeSchedule")]
    [InlineData(RotateSecretsJob.JobName, "RotateSchedule")]
    [InlineData(Core.Replication.ReplicateSecretsJob.JobName, "ReplicateSchedule")]
    public void TimerFunction_Metadata_ScheduleComesFromTheJobsSettings(string function, string setting)
    {
        var trigger = Trigger(function);

        Assert.Equal("timerTrigger", (string?)trigger["type"]);

        // "%A__B%" never resolves (azure-functions-host#10246): the host's name resolver looks the
        // name up in its IConfiguration, where the app setting A__B is the key A:B.
        Assert.Equal($"%{JobsOptions.SectionName}:{setting}%", (string?)trigger["schedule"]);

        // Defaults the host applies: a monitored schedule (singleton, past-due detection), not run at start.
        Assert.Null(trigger["runOnStartup"]);
        Assert.Single(Function(function)["bindings"]!.AsArray());
    }

    [Fact]
    public void WorkerConfig_Build_StartsTheWorkerAssemblyWithDotnet()
    {
        var description = WorkerBuild.ReadJson("worker.config.json")["description"]!;

        Assert.Equal("dotnet-isolated", (string?)description["language"]);
        Assert.Equal("dotnet", (string?)description["defaultExecutablePath"]);
        Assert.Equal(WorkerBuild.AssemblyFileName, (string?)description["defaultWorkerPath"]);
    }

    [Fact]
    public void HostJson_RootAndBuild_IsTheWorkersWithAnEmptyRoutePrefix()
    {
        var root = File.ReadAllText(Path.Combine(Root, "host.json"));
        var host = JsonNode.Parse(root)!.AsObject();

        // Linked into the worker project: one file, copied as is.
        Assert.Equal(root, File.ReadAllText(Path.Combine(WorkerBuild.Directory, "host.json")));
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal(string.Empty, (string?)host["extensions"]!["http"]!["routePrefix"]);

        // The custom handler is gone, and an isolated worker brings its extensions itself.
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
    }

    [Fact]
    public void CustomHandlerFolders_AreGone()
    {
        Assert.DoesNotContain(Directory.GetDirectories(Root), d => File.Exists(Path.Combine(d, "function.json")));
    }

    [Fact]
    public void JobsOptions_DefaultSchedules_AreSixFieldNcrontab()
    {
        foreach (var schedule in new[] { JobsOptions.DefaultPurgeSchedule, JobsOptions.DefaultRotateSchedule, JobsOptions.DefaultReplicateSchedule })
        {
            Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}
