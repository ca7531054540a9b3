namespace FuncSecrets.Azure.Tables;

/// <summary>
/// The parts of an Azure Storage connection string the Table client needs: the Table endpoint
/// and the account's name and key. Supports <c>UseDevelopmentStorage=true</c> (Azurite's
/// well-known account) and <c>DefaultEndpointsProtocol</c>/<c>AccountName</c>/<c>AccountKey</c>
/// with either <c>TableEndpoint</c> or <c>EndpointSuffix</c>.
/// </summary>
internal sealed record StorageConnectionString(Uri TableEndpoint, string AccountName, byte[] AccountKey)
{
    /// <summary>Azurite's well-known development account (public, documented with the emulator).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DevelopmentTableEndpoint = "http://127.0.0.1:10002/devstoreaccount1";

    /// <summary>Parses a connection string; the messages name the missing setting, never a value.</summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: base64 keys end in '='.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string has a setting without a name or '='.");
            }

            settings[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development)
            && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageConnectionString(
                new Uri(DevelopmentTableEndpoint),
                DevelopmentAccountName,
                Convert.FromBase64String(DevelopmentAccountKey));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("SAS connection strings are not supported for the secret store; use an account key or a managed identity (TableEndpoint).");
        }

        var accountName = Required(settings, "AccountName");
        var accountKey = Required(settings, "AccountKey");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new FormatException("The storage connection string's AccountKey is not base64.");
        }

        return new StorageConnectionString(TableEndpointOf(settings, accountName), accountName, key);
    }

    private static Uri TableEndpointOf(Dictionary<string, string> settings, string accountName)
    {
        if (settings.TryGetValue("TableEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out var endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException("The storage connection string's TableEndpoint is not an absolute http(s) URI.");
            }

            return endpoint;
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new Uri($"{protocol}://{accountName}.table.{suffix}");
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string lacks {name}.");
}
