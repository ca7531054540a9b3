using System.Text.Json;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Rotation;
using FuncSecrets.UnitTests.Operations;

namespace FuncSecrets.UnitTests.Rotation;

/// <summary>
/// RotateSecret and the rotation job with the built-in password rotator, through the handlers on
/// the in-memory store (issue 12: moved from Azurite, which showed nothing here that storage
/// decides). Rotation functions reached over HTTP stay in the Azurite suite.
/// </summary>
public sealed class BuiltInRotationTests : IAsyncDisposable
{
    private readonly InMemoryApi _api = new();
    private readonly RotationRunner _runner;

    public BuiltInRotationTests() => _runner = new RotationRunner(_api.Deps, new NoFunctions(), new RotationOptions());

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        _api.Dispose();
    }

    [Fact]
    public async Task RotateSecret_BuiltInRotator_ReplacesPasswordAndKeepsTheRest()
    {
        var original = (await _api.CreateAsync("builtin-json", """{"username":"app","password":"old-password","port":5432}""")).VersionId!;
        var token = InMemoryApi.Token();

        await RotateAsync(new RotateSecretRequest { SecretId = "builtin-json", ClientRequestToken = token, RotationLambdaARN = RotationOptions.BuiltInPasswordFunction, RotationRules = new RotationRulesShape { ScheduleExpression = "rate(30 days)" } });
        await _runner.WhenIdleAsync();

        var value = await _api.GetAsync("builtin-json");
        Assert.Equal(token, value.VersionId);
        using var json = JsonDocument.Parse(value.SecretString!);
        Assert.Equal("app", json.RootElement.GetProperty("username").GetString());
        Assert.Equal(5432, json.RootElement.GetProperty("port").GetInt32());
        Assert.NotEqual("old-password", json.RootElement.GetProperty("password").GetString());
        Assert.Equal(32, json.RootElement.GetProperty("password").GetString()!.Length);

        var describe = await _api.DescribeAsync("builtin-json");
        Assert.Equal([StagingLabels.Current], describe.VersionIdsToStages![token]);
        Assert.Equal([StagingLabels.Previous], describe.VersionIdsToStages![original]);
        Assert.Equal(30, describe.RotationRules!.AutomaticallyAfterDays);
        Assert.Null((await _api.Store.GetAsync("builtin-json", default))!.RotationToken);
    }

    [Fact]
    public async Task RotateSecret_SameTokenAfterSuccess_ChangesNothing()
    {
        await _api.CreateAsync("builtin-again", "old-password");
        var request = new RotateSecretRequest { SecretId = "builtin-again", ClientRequestToken = InMemoryApi.Token(), RotationLambdaARN = RotationOptions.BuiltInPasswordFunction };
        await RotateAsync(request);
        await _runner.WhenIdleAsync();
        var rotated = await _api.Store.GetAsync("builtin-again", default);

        await RotateAsync(request);
        await _runner.WhenIdleAsync();

        Assert.Equal(rotated!.ETag, (await _api.Store.GetAsync("builtin-again", default))!.ETag);
    }

    [Fact]
    public async Task RotateSecretsJob_BuiltInRotator_RotatesPlainSecretWhenDue()
    {
        _api.Time.SetUtcNow(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));
        await _api.CreateAsync("builtin-plain", "old-password");
        await RotateAsync(new RotateSecretRequest { SecretId = "builtin-plain", ClientRequestToken = InMemoryApi.Token(), RotationLambdaARN = RotationOptions.BuiltInPasswordFunction, RotationRules = new RotationRulesShape { ScheduleExpression = "rate(4 hours)" }, RotateImmediately = false });
        await _runner.WhenIdleAsync();

        _api.Time.Advance(TimeSpan.FromHours(2)); // 12:00: the 12:00-13:00 window is open
        var result = await new RotateSecretsJob(_api.Store, _api.Store, _runner, _api.Time).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Processed);
        Assert.NotEqual("old-password", (await _api.GetAsync("builtin-plain")).SecretString);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 16, 59, 59, TimeSpan.Zero), (await _api.DescribeAsync("builtin-plain")).NextRotationDate);
    }

    [Fact]
    public async Task CancelRotateSecret_NeverConfigured_ReturnsInvalidRequest()
    {
        await _api.CreateAsync("cancel-none");

        await InMemoryApi.ErrorAsync(() => InMemoryApi.Run(new CancelRotateSecretHandler(_api.Deps), new CancelRotateSecretRequest { SecretId = "cancel-none" }),
            "InvalidRequestException", "You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured and you didn't include such an ARN as a parameter in this call.");
        await InMemoryApi.ErrorAsync(() => InMemoryApi.Run(new CancelRotateSecretHandler(_api.Deps), new CancelRotateSecretRequest { SecretId = "cancel-no-such-secret" }), "ResourceNotFoundException");
    }

    [Fact]
    public async Task RotateSecret_DeletedSecret_ReturnsMarkedForDeletion()
    {
        await _api.CreateAsync("rotate-deleted");
        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "rotate-deleted" });

        await InMemoryApi.ErrorAsync(
            () => RotateAsync(new RotateSecretRequest { SecretId = "rotate-deleted", ClientRequestToken = InMemoryApi.Token(), RotationLambdaARN = RotationOptions.BuiltInPasswordFunction }),
            "InvalidRequestException",
            "You can't perform this operation on the secret because it was marked for deletion.");
    }

    private Task<RotateSecretResponse> RotateAsync(RotateSecretRequest request) => InMemoryApi.Run(new RotateSecretHandler(_api.Deps, _runner), request);

    /// <summary>No rotation function is reachable: only the built-in rotator runs.</summary>
    private sealed class NoFunctions : IRotationFunctionInvoker
    {
        public bool CanInvoke(string function) => false;

        public Task<RotationStepResult> InvokeAsync(string function, RotationEvent rotationEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No rotation function in these tests.");
    }
}
