using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Rotation;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Functions.StandInHost.Rpc;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.IntegrationTests.Functions.StandInHost;

/// <summary>
/// Proof number two that the worker runs (issue 10): the BUILT isolated worker, started and
/// driven by <see cref="StandInFunctionsHost"/> as the Functions host drives it, over Azurite.
/// Secrets are seeded through the pipeline in process (<see cref="ApiHarness"/>, whose clock
/// stands in January 2026, so its recovery windows and rotation windows are long past for the
/// worker's real clock), on the same tables the worker is configured with.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerUnderStandInHostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AccessKeyId = "AKIDSTANDINHOST00001";
    private const string SecretAccessKey = "stand-in-host-secret-access-key";

    // The app's public name, as the SDK signs it; the worker only ever sees localhost.
    private static readonly Uri PublicEndpoint = new("https://funcsecrets-standin.azurewebsites.net");

    private ApiHarness _seed = null!;
    private StandInFunctionsHost _host = null!;

    public async Task InitializeAsync()
    {
        _seed = await ApiHarness.StartAsync(azurite, "worker");
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FuncSecrets__Storage__ConnectionString"] = azurite.ConnectionString,
            ["FuncSecrets__Storage__TableName"] = _seed.TableName,
            ["FuncSecrets__Storage__DueTableName"] = _seed.TableName + "due",
            ["FuncSecrets__Audit__ContainerName"] = (_seed.TableName + "audit").ToLowerInvariant(),
            ["FuncSecrets__Encryption__LocalKey"] = ApiHarness.LocalKey,
            ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = AccessKeyId,
            ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = SecretAccessKey,
            ["FuncSecrets__Jobs__PurgeSchedule"] = "0 30 * * * *",
            ["FuncSecrets__Jobs__RotateSchedule"] = "0 */15 * * * *",
            ["FuncSecrets__Jobs__ReplicateSchedule"] = "0 */5 * * * *",
        };
        _host = await StandInFunctionsHost.StartAsync(WorkerBuild.Directory, WorkerBuild.AssemblyFileName, settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _seed.DisposeAsync();
    }

    [Fact]
    public void Worker_StartedAsTheHostStartsIt_IndexesAndLoadsTheFourFunctions()
    {
        Assert.Equal(["PurgeDeletedSecrets", "ReplicateSecrets", "RotateSecrets", "SecretsApi"], _host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(_host.Functions, f => Assert.False(string.IsNullOrEmpty(f.FunctionId)));

        // ASP.NET Core integration: the worker asks the host to proxy HTTP requests to its own Kestrel, on loopback.
        Assert.True(_host.HttpUri.IsLoopback, _host.HttpUri.ToString());
        var api = _host.Functions.Single(f => f.Name == "SecretsApi");
        Assert.Equal("httpTrigger", api.Bindings["request"].Type);
        var timer = _host.Functions.Single(f => f.Name == "PurgeDeletedSecrets");
        Assert.Equal("timerTrigger", timer.Bindings["timer"].Type);
        Assert.Contains(timer.RawBindings, b => b.Contains("%FuncSecrets:Jobs:PurgeSchedule%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PurgeDeletedSecrets_InvokedOnce_PurgesTheSecretPastItsRecoveryWindow()
    {
        await _seed.OkAsync("CreateSecret", new { Name = "expired", SecretString = "gone-soon", ClientRequestToken = ApiHarness.Token() });
        await _seed.OkAsync("CreateSecret", new { Name = "kept", SecretString = "stays", ClientRequestToken = ApiHarness.Token() });
        await _seed.OkAsync("DeleteSecret", new { SecretId = "expired", RecoveryWindowInDays = 7 });

        var answer = await _host.InvokeTimerAsync(PurgeDeletedSecretsJob.JobName, DateTimeOffset.UtcNow);

        Assert.True(answer.Result.Status == StatusResult.Types.Status.Success, answer.Result.Exception?.Message + "\n" + _host.Log);
        await _seed.ErrorAsync("DescribeSecret", new { SecretId = "expired" }, "ResourceNotFoundException");
        await _seed.OkAsync("DescribeSecret", new { SecretId = "kept" });
        Assert.Contains(_host.RpcLogs, l => l.Message.Contains("Job PurgeDeletedSecrets finished: 1 examined, 1 processed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotateSecrets_InvokedOnce_RotatesTheDueSecretWithTheBuiltInRotator()
    {
        await _seed.OkAsync("CreateSecret", new { Name = "due", SecretString = "old-password", ClientRequestToken = ApiHarness.Token() });
        await _seed.OkAsync("RotateSecret", new { SecretId = "due", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = RotationOptions.BuiltInPasswordFunction, RotationRules = new { ScheduleExpression = "rate(4 hours)" }, RotateImmediately = false });

        var answer = await _host.InvokeTimerAsync(RotateSecretsJob.JobName, DateTimeOffset.UtcNow, pastDue: true);

        Assert.True(answer.Result.Status == StatusResult.Types.Status.Success, answer.Result.Exception?.Message + "\n" + _host.Log);
        var value = await _seed.OkAsync("GetSecretValue", new { SecretId = "due" });
        Assert.NotEqual("old-password", (string?)value["SecretString"]);
    }

    [Fact]
    public async Task SecretsApi_SignedGetSecretValueProxiedLikeTheHost_ReturnsTheValue()
    {
        await _seed.OkAsync("CreateSecret", new { Name = "through-the-worker", SecretString = "w0rker-v4lue", ClientRequestToken = ApiHarness.Token() });

        var (status, body, invocation) = await CallAsync("GetSecretValue", new { SecretId = "through-the-worker" }, SecretAccessKey);

        Assert.True(status == 200, body + "\n" + _host.Log);
        Assert.Equal(StatusResult.Types.Status.Success, invocation.Result.Status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("w0rker-v4lue", (string?)json["SecretString"]);
        Assert.Equal(["AWSCURRENT"], json["VersionStages"]!.AsArray().Select(s => (string?)s));
        Assert.DoesNotContain(_host.RpcLogs, l => l.Message.Contains("w0rker-v4lue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretsApi_SignedWithAnotherSecret_ReturnsInvalidSignature()
    {
        var (status, body, _) = await CallAsync("ListSecrets", new { }, "not-the-secret");

        Assert.Equal(400, status);
        Assert.Equal("InvalidSignatureException", (string?)JsonNode.Parse(body)!["__type"]);
    }

    [Fact]
    public async Task SecretsApi_ForwardedWithoutTheSignedHost_ReturnsInvalidSignature()
    {
        // The worker must verify against the host the client signed, which only X-Forwarded-Host
        // carries past the Functions host: without it the signature cannot match.
        var (status, body, _) = await CallAsync("ListSecrets", new { }, SecretAccessKey, forwardHost: false);

        Assert.Equal(400, status);
        Assert.Equal("InvalidSignatureException", (string?)JsonNode.Parse(body)!["__type"]);
    }

    /// <summary>
    /// An SDK's call signed for the public host name, then what the host's forwarder (YARP's
    /// default transforms) makes of it on its way to the worker: Host becomes the worker's
    /// loopback address, the original host moves to X-Forwarded-Host, the client's address to
    /// X-Forwarded-For.
    /// </summary>
    private async Task<(int Status, string Body, InvocationResponse Invocation)> CallAsync(string operation, object body, string secret, bool forwardHost = true)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        var headers = JsonRequestSigner.Sign(PublicEndpoint, "secretsmanager." + operation, bytes, AccessKeyId, secret, DateTime.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.HttpUri, "/")) { Content = new ByteArrayContent(bytes) };
        JsonRequestSigner.CopyTo(headers, request);

        if (forwardHost)
        {
            request.Headers.Add("X-Forwarded-Host", PublicEndpoint.Host);
        }

        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var (http, invocation) = await _host.InvokeHttpAsync("SecretsApi", request);
        using (http)
        {
            return ((int)http.StatusCode, await http.Content.ReadAsStringAsync(), invocation);
        }
    }
}
