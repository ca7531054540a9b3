using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using FuncSecrets.Host.Rotation;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>
/// Two instances over one table: the rotation lease lets one runner per secret through, and a
/// lease whose holder went quiet is taken over once it expires.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RotationLeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;
    private TestRotationFunction _function = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "rotlease", RotationHarness.Settings());
        _function = await TestRotationFunction.StartAsync(_api);
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task RunDueAsync_SecondInstance_WaitsForTheLeaseThenTakesOver()
    {
        await _api.OkAsync("CreateSecret", new { Name = "lease", SecretString = "v1", ClientRequestToken = ApiHarness.Token() });
        var token = ApiHarness.Token();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _function.Hook = step =>
        {
            entered.TrySetResult();
            return release.Task;
        };

        // Instance 1 (the app) starts a rotation and hangs in createSecret.
        var rotating = _api.CallAsync("RotateSecret", new { SecretId = "lease", ClientRequestToken = token, RotationLambdaARN = _function.Url });
        await entered.Task;

        // Instance 2: its own runner and invoker over the same table.
        var deps = _api.Services.GetRequiredService<OperationDependencies>();
        using var invoker = new HttpRotationFunctionInvoker(_api.Services.GetRequiredService<RotationFunctionOptions>());
        await using var second = new RotationRunner(deps, invoker, new RotationOptions());
        var store = _api.Services.GetRequiredService<ISecretStore>();

        Assert.Equal(DueRotationOutcome.NotRotated, await second.RunDueAsync((await store.GetAsync("lease", CancellationToken.None))!, CancellationToken.None));
        Assert.Single(_function.Calls);

        // Instance 1 goes quiet past its lease: instance 2 resumes the same version and finishes.
        _api.Time.Advance(new RotationOptions().LeaseDuration + TimeSpan.FromSeconds(1));
        _function.Hook = null;
        Assert.Equal(DueRotationOutcome.Rotated, await second.RunDueAsync((await store.GetAsync("lease", CancellationToken.None))!, CancellationToken.None));

        // Instance 1 wakes up: its lease is gone, so it runs no further step.
        release.SetResult(null);
        Assert.Equal(200, (await rotating).Status);
        await _api.Services.GetRequiredService<RotationRunner>().WhenIdleAsync();

        Assert.Equal(["createSecret", "createSecret", "setSecret", "testSecret", "finishSecret"], _function.Steps);
        Assert.All(_function.Calls, c => Assert.Equal(token, c.Token));
        Assert.Equal(token, (string)(await _api.OkAsync("GetSecretValue", new { SecretId = "lease" }))["VersionId"]!);
    }
}
