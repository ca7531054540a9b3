using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FuncSecrets.Server;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The settings the deployment writes (infra/**/*.bicep app settings, local.settings.sample.json)
/// against the settings the app reads, so a renamed option or a typo in an app setting fails
/// here and not as a silently ignored setting in Azure.
/// </summary>
public sealed partial class SettingsConsistencyTests
{
    private static readonly string Root = AzuriteFixture.FindRepositoryRoot();

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[A-Za-z0-9_]+)'\s*,\s*value:")]
    private static partial Regex BicepAppSetting();

    [GeneratedRegex(@"%(?<name>[^%]+)%")]
    private static partial Regex BindingExpression();

    private static HashSet<string> BicepSettings() =>
        Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories)
            .SelectMany(f => BicepAppSetting().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static JsonObject SampleValues() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")))!["Values"]!.AsObject();

    [Fact]
    public void AppSettings_InBicepAndSample_AreAllReadByTheApp()
    {
        var names = BicepSettings().Concat(SampleValues().Select(p => p.Key)).Where(n => n.StartsWith("FuncSecrets__", StringComparison.Ordinal)).ToList();
        Assert.True(names.Count >= 10, $"found only {names.Count} FuncSecrets settings: is the Bicep app-settings pattern still right?");

        var unread = names.Distinct().Select(n => (Name: n, Why: SettingNames.Explain(n))).Where(r => r.Why is not null).ToList();

        Assert.True(unread.Count == 0, "settings the app does not read:\n" + string.Join('\n', unread.Select(r => $"  {r.Name}: {r.Why}")));
    }

    [Theory]
    [InlineData("FuncSecrets__Storage__TabelName")]
    [InlineData("FuncSecrets__Auth__AccessKeys__first__AccessKeyId")]
    [InlineData("FuncSecrets__Region__Name")]
    [InlineData("FuncSecrets__Auth__AccessKeys")]
    [InlineData("FuncSecrets__Queue__Name")]
    public void SettingNames_NotReadByTheApp_AreReported(string name) =>
        Assert.NotNull(SettingNames.Explain(name));

    [Theory]
    [InlineData("FuncSecrets__Region")]
    [InlineData("FuncSecrets__Storage__TableEndpoint")]
    [InlineData("FuncSecrets__Auth__AccessKeys__3__Policy")]
    [InlineData("FuncSecrets__Encryption__AllowedVaults__0")]
    [InlineData("FuncSecrets__Jobs__StandaloneIntervalSeconds")]
    [InlineData("FuncSecrets__Jobs__ReplicateSchedule")]
    [InlineData("FuncSecrets__Replication__Peers__0__Region")]
    [InlineData("FuncSecrets__Replication__Peers__0__Storage__TableEndpoint")]
    [InlineData("FuncSecrets__Replication__Peers__0__Storage__TableName")]
    [InlineData("FuncSecrets__Replication__Peers__1__Encryption__DefaultKey")]
    public void SettingNames_ReadByTheApp_AreAccepted(string name) =>
        Assert.Null(SettingNames.Explain(name));

    [Fact]
    public void BindingExpressions_InFunctionsMetadata_AreSetByBicepAndSample()
    {
        var expressions = BindingExpression().Matches(WorkerBuild.Metadata().ToJsonString())
            .Select(m => m.Groups["name"].Value.Replace(":", "__", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Equal(3, expressions.Count);

        var bicep = BicepSettings();
        var sample = SampleValues();
        foreach (var setting in expressions)
        {
            Assert.Contains(setting, bicep);
            Assert.True(sample.ContainsKey(setting), $"local.settings.sample.json lacks {setting}");
        }
    }

    [Fact]
    public void Bicep_SetsWhatAnAzureDeploymentNeeds()
    {
        var bicep = BicepSettings();

        string[] required =
        [
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AZURE_CLIENT_ID",
            "FuncSecrets__Storage__TableEndpoint", "FuncSecrets__Encryption__DefaultKey",
            "FuncSecrets__Auth__AccessKeys__0__AccessKeyId", "FuncSecrets__Auth__AccessKeys__0__SecretAccessKey",
        ];
        Assert.All(required, name => Assert.Contains(name, bicep));

        // Flex Consumption refuses these: the runtime is declared in functionAppConfig instead.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", bicep);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", bicep);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", bicep);
        var functionApp = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));
        Assert.Contains("name: 'dotnet-isolated'", functionApp, StringComparison.Ordinal);
        Assert.Contains("version: '10.0'", functionApp, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_RunsLocallyAgainstAzuriteWithTheDevKey()
    {
        var values = SampleValues();

        Assert.Equal("dotnet-isolated", (string?)values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", (string?)values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", (string?)values["FuncSecrets__Storage__ConnectionString"]);
        Assert.Equal(32, Convert.FromBase64String((string)values["FuncSecrets__Encryption__LocalKey"]!).Length);
        Assert.Equal("test", (string?)values["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"]);
        Assert.Equal("test", (string?)values["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"]);
    }

    [Theory]
    [InlineData("purgeSchedule", "FuncSecrets__Jobs__PurgeSchedule", JobsOptions.DefaultPurgeSchedule)]
    [InlineData("rotateSchedule", "FuncSecrets__Jobs__RotateSchedule", JobsOptions.DefaultRotateSchedule)]
    [InlineData("replicateSchedule", "FuncSecrets__Jobs__ReplicateSchedule", JobsOptions.DefaultReplicateSchedule)]
    public void Schedules_BicepAndSampleDefaults_MatchJobsOptions(string parameter, string setting, string expected)
    {
        var main = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        var match = Regex.Match(main, $@"param {parameter} string = '(?<value>[^']+)'");

        Assert.True(match.Success, $"main.bicep has no default for {parameter}");
        Assert.Equal(expected, match.Groups["value"].Value);
        Assert.Equal(expected, (string?)SampleValues()[setting]);
    }
}
