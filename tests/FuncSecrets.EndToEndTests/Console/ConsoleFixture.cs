using System.Security.Cryptography;
using System.Text;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Console;

/// <summary>
/// The real FuncSecrets.Host process for the web console's browser tests, over its own in-memory
/// Azurite, with two keys: the development pair test/test (no policy: full access, audit reads
/// included) and a key that may browse but not read values or the audit trail. Its own process
/// (not the shared end-to-end one) because those keys are not the client scripts'.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>The development pair (test/test) the README tells people to sign in with; full access.</summary>
    public const string AdminKeyId = FuncSecrets.Host.Hosting.AuthSetup.DevelopmentAccessKeyId;
    public const string ReaderKeyId = "AKIACONSOLEREADER001";
    public const string ReaderPrincipal = "arn:aws:iam::123456789012:user/browse-only";

    /// <summary>May list, describe and see versions and policies; never read a value; no audit reads.</summary>
    public const string ReaderPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:ListSecrets","secretsmanager:DescribeSecret","secretsmanager:ListSecretVersionIds","secretsmanager:GetResourcePolicy"],"Resource":"*"},{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

    private readonly AzuriteFixture _azurite = new();
    private ServiceProcess? _service;

    public string AdminSecret { get; } = FuncSecrets.Host.Hosting.AuthSetup.DevelopmentSecretAccessKey;

    public string ReaderSecret { get; } = "reader-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri Endpoint => Service.Endpoint;

    public Uri ConsoleUrl => new(Service.Endpoint, "/console/");

    public string ServiceLog => Service.Log;

    public SignedJsonClient Client { get; private set; } = null!;

    private ServiceProcess Service => _service ?? throw new InvalidOperationException("The service is not running.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var table = AzuriteFixture.UniqueTableName("console");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FuncSecrets__Storage__ConnectionString"] = _azurite.ConnectionString,
            ["FuncSecrets__Storage__TableName"] = table,
            ["FuncSecrets__Storage__DueTableName"] = table + "due",
            ["FuncSecrets__Audit__ContainerName"] = (table + "audit").ToLowerInvariant(),
            ["FuncSecrets__Audit__BatchSeconds"] = "0.2",
            ["FuncSecrets__Encryption__LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = AdminKeyId,
            ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = AdminSecret,
            ["FuncSecrets__Auth__AccessKeys__0__PrincipalArn"] = "arn:aws:iam::123456789012:user/console-admin",
            ["FuncSecrets__Auth__AccessKeys__1__AccessKeyId"] = ReaderKeyId,
            ["FuncSecrets__Auth__AccessKeys__1__SecretAccessKey"] = ReaderSecret,
            ["FuncSecrets__Auth__AccessKeys__1__PrincipalArn"] = ReaderPrincipal,
            ["FuncSecrets__Auth__AccessKeys__1__Policy"] = ReaderPolicy,
        };
        var logPath = Path.Combine(AppContext.BaseDirectory, "console-service.log");
        _service = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, settings, logPath);
        Client = new SignedJsonClient(_service.Endpoint);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>Calls the API as the administrator (test setup that is not what the test is about).</summary>
    public async Task<RawResponse> AdminCallAsync(string operation, string body)
    {
        var response = await Client.SendRawAsync($"secretsmanager.{operation}", Encoding.UTF8.GetBytes(body), accessKeyId: AdminKeyId, secretAccessKey: AdminSecret);
        Assert.True(response.Status == 200, response.ToString());
        return response;
    }
}
