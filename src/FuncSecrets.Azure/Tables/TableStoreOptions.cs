namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Where and how <see cref="TableSecretStore"/> reaches Table Storage; bound from the
/// <c>FuncSecrets:Storage</c> configuration section. Either <see cref="ConnectionString"/>
/// (SharedKey: Azurite, or an account key) or <see cref="TableEndpoint"/> plus a
/// <c>TokenCredential</c> (managed identity) must be set; the connection string wins when both are.
/// </summary>
public sealed class TableStoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "FuncSecrets:Storage";

    /// <summary>
    /// A storage connection string: <c>UseDevelopmentStorage=true</c>, or
    /// <c>DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..;[TableEndpoint=..|EndpointSuffix=..]</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Table service endpoint (e.g. <c>https://account.table.core.windows.net</c>) used with a
    /// TokenCredential when no connection string is configured.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The table holding one partition per secret.</summary>
    public string TableName { get; set; } = "secrets";

    /// <summary>The table holding the due-time indexes (purge, rotate).</summary>
    public string DueTableName { get; set; } = "secretsdue";

    /// <summary>
    /// Page size (<c>$top</c>) of listing queries; null lets the service choose (1,000 rows).
    /// Tests set it small to exercise continuations.
    /// </summary>
    public int? ListPageSize { get; set; }

    /// <summary>
    /// Time allowed for one network operation (connect, send, first byte, each read). Together with
    /// <see cref="MaxRetries"/> this bounds how long a call waits on unreachable storage before it
    /// fails with ServiceUnavailable: a refused connection fails in well under a second; a silent
    /// host costs (MaxRetries + 1) × NetworkTimeout plus the short retry delays.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (network error, 408, 429, 5xx).</summary>
    public int MaxRetries { get; set; } = 2;
}
