using System.Security.Cryptography;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;

namespace FuncSecrets.EndToEndTests.Rotation;

/// <summary>
/// Rotation with real processes only: the service (its own FuncSecrets.Server process, allowed to
/// call loopback functions, on the run's Azurite), a rotation function written for AWS
/// (tests/clients/rotation: boto3, AWS's single-user protocol) and boto3 driving the API.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RotationEndToEndTests(EndToEndFixture fixture) : IAsyncLifetime
{
    private readonly string _canary = $"rotation-canary-{Guid.NewGuid():N}";
    private ServiceProcess _service = null!;
    private RotationFunctionProcess _function = null!;

    public async Task InitializeAsync()
    {
        var table = AzuriteFixture.UniqueTableName("e2erot");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FuncSecrets__Storage__ConnectionString"] = fixture.StorageConnectionString,
            ["FuncSecrets__Storage__TableName"] = table,
            ["FuncSecrets__Storage__DueTableName"] = table + "due",
            ["FuncSecrets__Encryption__LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = ClientScript.AccessKeyId,
            ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = ClientScript.SecretAccessKey,
            ["FuncSecrets__Rotation__AllowHttpLoopback"] = "true",
            ["FuncSecrets__Rotation__StepTimeout"] = "00:00:30",
            ["FuncSecrets__Jobs__StandaloneIntervalSeconds"] = "0",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        _service = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, settings, Path.Combine(AppContext.BaseDirectory, "e2e-rotation-service.log"));
        _function = await RotationFunctionProcess.StartAsync(_service.Endpoint);
    }

    public async Task DisposeAsync()
    {
        if (_function is not null)
        {
            await _function.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Rotation_AwsStyleFunctionAndBoto3_RotatesLikeAws()
    {
        var result = await ClientScript.RunAsync(
            "python3",
            Path.Combine("rotation", "rotate_scenario.py"),
            [_service.Endpoint.GetLeftPart(UriPartial.Authority), _function.Url, EndToEndFixture.UniquePrefix("rot"), _canary],
            TimeSpan.FromMinutes(3));

        Assert.True(result.Succeeded, result + "\n--- rotation function ---\n" + _function.Output + "\n--- service ---\n" + _service.Log);
        Assert.Contains("PASS rotation scenario", result.Output, StringComparison.Ordinal);

        // The function received the four steps in order, as an AWS rotation Lambda does.
        var steps = _function.Output.Split('\n').Where(l => l.StartsWith("event ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Take(4);
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], steps);

        // No secret value reached the service's log.
        Assert.DoesNotContain(_canary, _service.Log, StringComparison.Ordinal);
    }
}
