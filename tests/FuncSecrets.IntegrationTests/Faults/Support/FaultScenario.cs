using System.Collections.Concurrent;
using System.Security.Cryptography;
using FuncSecrets.IntegrationTests.Security;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>
/// One fault scenario's world: its own tables, a fresh local wrapping key and access key pair,
/// and a register of every plaintext value it sent, for the leak scan at its end.
/// </summary>
public sealed class FaultScenario
{
    private readonly ConcurrentBag<string> _values = [];

    public FaultScenario(string connectionString, string prefix)
    {
        ConnectionString = connectionString;
        TableName = AzuriteFixture.UniqueTableName(prefix);
        LocalKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        AccessKeyId = "AKIAFAULT" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        SecretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
    }

    public string ConnectionString { get; }

    public string TableName { get; }

    public IReadOnlyList<string> Tables => [TableName, TableName + "due", TableName + "audit"];

    public string LocalKey { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>Every plaintext secret value this scenario sent.</summary>
    public IReadOnlyCollection<string> Values => _values;

    /// <summary>A fresh plaintext value, remembered for the leak scan.</summary>
    public string NewValue(string label)
    {
        var value = $"plain-{label}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}";
        _values.Add(value);
        return value;
    }

    /// <summary>The service's settings as configuration keys.</summary>
    public Dictionary<string, string?> Configuration(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncSecrets:Storage:ConnectionString"] = ConnectionString,
            ["FuncSecrets:Storage:TableName"] = TableName,
            ["FuncSecrets:Storage:DueTableName"] = TableName + "due",
            ["FuncSecrets:Audit:ContainerName"] = (TableName + "audit").ToLowerInvariant(),
            ["FuncSecrets:Encryption:LocalKey"] = LocalKey,
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = AccessKeyId,
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = SecretAccessKey,
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "0",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The same settings as environment variables, for a host process.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null) =>
        Configuration(extra).ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value ?? string.Empty);

    /// <summary>A client signing with this scenario's key, over <paramref name="http"/> (whose base address is the service).</summary>
    public SigningClient Client(HttpClient http) => new(http, AccessKeyId, SecretAccessKey);

    public static HttpClient Http(Uri endpoint, int connections = 64, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections })
        {
            BaseAddress = endpoint,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
}
