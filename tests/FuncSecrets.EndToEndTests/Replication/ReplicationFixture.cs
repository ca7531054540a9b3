using System.Security.Cryptography;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Azurite;
using FuncSecrets.TestSupport.Processes;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Replication;

/// <summary>
/// Two deployments as real server processes (issue 14): us-east-1 and eu-west-1, each with its own
/// tables and its own local wrapping key, each configured with the other as its replication peer.
/// us-east-1's tables live in one Azurite, eu-west-1's in a second, persistent Azurite, so a test
/// can stop the second Region's storage (by the PID this fixture started) and bring it back with
/// its data. The replication job runs every second with no write-path grace, so recovery is seen
/// within seconds. If anything cannot start, every test fails: none is skipped.
/// </summary>
public sealed class ReplicationFixture : IAsyncLifetime
{
    public const string East = "us-east-1";
    public const string West = "eu-west-1";

    private readonly string _eastTable = AzuriteFixture.UniqueTableName("repeast");
    private readonly string _westTable = AzuriteFixture.UniqueTableName("repwest");
    private readonly string _eastKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _westKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public AzuriteServer EastStorage { get; private set; } = null!;

    /// <summary>The second Region's storage: persistent, so it survives being stopped.</summary>
    public AzuriteServer WestStorage { get; private set; } = null!;

    public ServiceProcess EastService { get; private set; } = null!;

    public ServiceProcess WestService { get; private set; } = null!;

    public SignedJsonClient EastClient { get; private set; } = null!;

    public SignedJsonClient WestClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        EastStorage = await AzuriteServer.StartAsync();
        WestStorage = await AzuriteServer.StartAsync(persistent: true);
        var server = typeof(FuncSecrets.Server.AppFactory).Assembly.Location;
        EastService = await ServiceProcess.StartAsync(server, Settings(East, EastStorage, _eastTable, _eastKey, West, WestStorage, _westTable, _westKey), Path.Combine(AppContext.BaseDirectory, "e2e-replication-east.log"));
        WestService = await ServiceProcess.StartAsync(server, Settings(West, WestStorage, _westTable, _westKey, East, EastStorage, _eastTable, _eastKey), Path.Combine(AppContext.BaseDirectory, "e2e-replication-west.log"));
        EastClient = new SignedJsonClient(EastService.Endpoint) { Region = East };
        WestClient = new SignedJsonClient(WestService.Endpoint) { Region = West };
    }

    public async Task DisposeAsync()
    {
        EastClient?.Dispose();
        WestClient?.Dispose();
        foreach (var service in new[] { EastService, WestService })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        foreach (var storage in new[] { EastStorage, WestStorage })
        {
            if (storage is not null)
            {
                await storage.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Settings(
        string region, AzuriteServer storage, string table, string key,
        string peerRegion, AzuriteServer peerStorage, string peerTable, string peerKey) => new(StringComparer.Ordinal)
    {
        ["FuncSecrets__Region"] = region,
        ["FuncSecrets__Storage__ConnectionString"] = storage.ConnectionString,
        ["FuncSecrets__Storage__TableName"] = table,
        ["FuncSecrets__Storage__DueTableName"] = table + "due",
        ["FuncSecrets__Audit__BatchSeconds"] = "0.2",
        ["FuncSecrets__Encryption__LocalKey"] = key,
        ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = SignedJsonClient.TestAccessKeyId,
        ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = SignedJsonClient.TestSecretAccessKey,
        ["FuncSecrets__Jobs__StandaloneIntervalSeconds"] = "1",
        ["FuncSecrets__Replication__RetryDelaySeconds"] = "0",
        ["FuncSecrets__Replication__Peers__0__Region"] = peerRegion,
        ["FuncSecrets__Replication__Peers__0__Storage__ConnectionString"] = peerStorage.ConnectionString,
        ["FuncSecrets__Replication__Peers__0__Storage__TableName"] = peerTable,
        ["FuncSecrets__Replication__Peers__0__Storage__DueTableName"] = peerTable + "due",
        ["FuncSecrets__Replication__Peers__0__Encryption__LocalKey"] = peerKey,
        ["Logging__LogLevel__FuncSecrets"] = "Debug",
    };
}
