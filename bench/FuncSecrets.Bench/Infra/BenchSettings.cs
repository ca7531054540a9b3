using System.Security.Cryptography;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// The service's settings for one benchmark run: Azurite, its own tables, a fresh local
/// wrapping key and a fresh access key pair (random per run, never printed).
/// </summary>
public sealed class BenchSettings
{
    private readonly IReadOnlyDictionary<string, string> _overrides;

    public BenchSettings(AzuriteProcess azurite, string tablePrefix, IReadOnlyDictionary<string, string>? overrides = null)
    {
        _overrides = overrides ?? new Dictionary<string, string>();
        ConnectionString = azurite.ConnectionString;
        TableName = tablePrefix;
        LocalKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        AccessKeyId = "AKIABENCH" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        SecretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
    }

    public string ConnectionString { get; }

    public string TableName { get; }

    public string LocalKey { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>The settings as configuration keys (<c>Section:Key</c>), for an in-process app.</summary>
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
        };
        foreach (var (key, value) in _overrides.Concat(extra ?? new Dictionary<string, string>()))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The same settings as environment variables (<c>Section__Key</c>), for the process.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null) =>
        Configuration(extra).ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value ?? string.Empty);
}
