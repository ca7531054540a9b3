using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Rotation;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>The rotation timer job, CancelRotateSecret and the built-in rotator, over Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RotationJobAndCancelTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;
    private TestRotationFunction _function = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "rotjob", RotationHarness.Settings());
        _function = await TestRotationFunction.StartAsync(_api);
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _api.DisposeAsync();
    }

    private RotationRunner Runner => _api.Services.GetRequiredService<RotationRunner>();

    private RotateSecretsJob Job => _api.Services.GetRequiredService<RotateSecretsJob>();

    private async Task<string> CreateAsync(string name, string value = "initial-value") =>
        (string)(await _api.OkAsync("CreateSecret", new { Name = name, SecretString = value, ClientRequestToken = ApiHarness.Token() }))["VersionId"]!;

    private static Dictionary<string, List<string>> Stages(JsonObject describe) =>
        describe["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => (string)s!).ToList());

    [Fact]
    public async Task RotateSecret_NotImmediately_TestsConfigurationOnly()
    {
        var original = await CreateAsync("job-config");

        await _api.OkAsync("RotateSecret", new { SecretId = "job-config", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 1 }, RotateImmediately = false });
        await Runner.WhenIdleAsync();

        Assert.Equal(["testSecret"], _function.Steps);
        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "job-config" });
        Assert.Equal(new Dictionary<string, List<string>> { [original] = ["AWSCURRENT"] }, Stages(describe));
        Assert.True((bool)describe["RotationEnabled"]!);
        Assert.False(describe.ContainsKey("LastRotatedDate"));
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), (long)(double)describe["NextRotationDate"]!);
    }

    [Fact]
    public async Task RotateSecretsJob_DueSecret_IsRotatedAndNotDueOneLeftAlone()
    {
        var dueOriginal = await CreateAsync("job-due");
        var laterOriginal = await CreateAsync("job-later");
        await _api.OkAsync("RotateSecret", new { SecretId = "job-due", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 1 }, RotateImmediately = false });
        await _api.OkAsync("RotateSecret", new { SecretId = "job-later", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 3 }, RotateImmediately = false });
        var configTests = _function.Calls.Count;

        // Before the window opens nothing runs.
        Assert.Equal(0, (await Job.RunOnceAsync(CancellationToken.None)).Processed);

        // 2026-01-16 01:00: job-due's window (all of 2026-01-16) is open; job-later's is 2026-01-18.
        _api.Time.Advance(TimeSpan.FromHours(15));
        var result = await Job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Processed);
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], _function.Steps.Skip(configTests));
        var due = await _api.OkAsync("DescribeSecret", new { SecretId = "job-due" });
        Assert.DoesNotContain(dueOriginal, Stages(due).Where(p => p.Value.Contains("AWSCURRENT")).Select(p => p.Key));
        Assert.Equal(_api.Time.GetUtcNow().ToUnixTimeSeconds(), (long)(double)due["LastRotatedDate"]!);
        Assert.Equal(new DateTimeOffset(2026, 1, 17, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), (long)(double)due["NextRotationDate"]!);

        var later = await _api.OkAsync("DescribeSecret", new { SecretId = "job-later" });
        Assert.Equal(new Dictionary<string, List<string>> { [laterOriginal] = ["AWSCURRENT"] }, Stages(later));
        Assert.False(later.ContainsKey("LastRotatedDate"));

        // Run again at once: idempotent, nothing more is due.
        Assert.Equal(0, (await Job.RunOnceAsync(CancellationToken.None)).Processed);
    }

    [Fact]
    public async Task RotateSecretsJob_ValueChangedByHand_CountsAsRotation()
    {
        await CreateAsync("job-manual");
        await _api.OkAsync("RotateSecret", new { SecretId = "job-manual", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 2 }, RotateImmediately = false });
        _api.Time.Advance(TimeSpan.FromDays(1)); // 2026-01-16 10:00
        await _api.OkAsync("PutSecretValue", new { SecretId = "job-manual", SecretString = "set-by-hand", ClientRequestToken = ApiHarness.Token() });
        var calls = _function.Calls.Count;

        _api.Time.Advance(TimeSpan.FromHours(15)); // 2026-01-17 01:00: the window set up first is open...
        Assert.Equal(0, (await Job.RunOnceAsync(CancellationToken.None)).Processed);

        _api.Time.Advance(TimeSpan.FromDays(1)); // ...but the change by hand moved it to 2026-01-18.
        Assert.Equal(1, (await Job.RunOnceAsync(CancellationToken.None)).Processed);
        Assert.Equal(calls + 4, _function.Calls.Count);
    }

    [Fact]
    public async Task RotateSecretsJob_RotationDisabled_DropsTheEntry()
    {
        await CreateAsync("job-cancelled");
        await _api.OkAsync("RotateSecret", new { SecretId = "job-cancelled", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 1 }, RotateImmediately = false });
        await _api.OkAsync("CancelRotateSecret", new { SecretId = "job-cancelled" });
        var calls = _function.Calls.Count;

        _api.Time.Advance(TimeSpan.FromDays(2));
        var result = await Job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, result.Processed);
        Assert.True(result.Examined > 0);
        Assert.Equal(calls, _function.Calls.Count);
    }

    [Fact]
    public async Task CancelRotateSecret_InProgress_DisablesAndKeepsPendingForTheCaller()
    {
        var original = await CreateAsync("cancel-pending");
        var token = ApiHarness.Token();
        _function.Hook = step => Task.FromResult<int?>(step == "testSecret" ? 500 : null);
        await _api.OkAsync("RotateSecret", new { SecretId = "cancel-pending", ClientRequestToken = token, RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 1 } });
        await Runner.WhenIdleAsync();

        var cancelled = await _api.OkAsync("CancelRotateSecret", new { SecretId = "cancel-pending" });

        Assert.Equal(["ARN", "Name", "VersionId"], cancelled.Select(p => p.Key).Order());
        Assert.Equal(token, (string)cancelled["VersionId"]!);
        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "cancel-pending" });
        Assert.False((bool)describe["RotationEnabled"]!);
        Assert.False(describe.ContainsKey("NextRotationDate"));
        Assert.Equal(_function.Url, (string)describe["RotationLambdaARN"]!);
        Assert.Equal(["AWSPENDING"], Stages(describe)[token]);
        Assert.Equal(["AWSCURRENT"], Stages(describe)[original]);

        // As AWS documents: until AWSPENDING is cleaned up a new rotation is refused...
        await _api.ErrorAsync("RotateSecret", new { SecretId = "cancel-pending", ClientRequestToken = ApiHarness.Token() },
            "InvalidRequestException", "Previous rotation request is still in progress.");

        // ...and once the caller removes it, RotateSecret with no settings turns rotation back on.
        await _api.OkAsync("UpdateSecretVersionStage", new { SecretId = "cancel-pending", VersionStage = "AWSPENDING", RemoveFromVersionId = token });
        _function.Hook = null;
        var next = ApiHarness.Token();
        await _api.OkAsync("RotateSecret", new { SecretId = "cancel-pending", ClientRequestToken = next });
        await Runner.WhenIdleAsync();

        var after = await _api.OkAsync("DescribeSecret", new { SecretId = "cancel-pending" });
        Assert.True((bool)after["RotationEnabled"]!);
        Assert.Equal(["AWSCURRENT"], Stages(after)[next]); // issue 11: a completed rotation drops AWSPENDING
    }
}
