namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Where and how <see cref="TableSecretStore"/> reaches Table Storage; bound from the
/// <c>FuncSecrets:Storage</c> configuration section. One of <see cref="ConnectionString"/>
/// (account key or SAS: Azurite, or a storage account) or <see cref="TableEndpoint"/> must be set;
/// the connection string wins when both are. An endpoint that carries a SAS query string is used
/// with that SAS; otherwise with a <c>TokenCredential</c> (managed identity).
/// </summary>
public sealed class TableStoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "FuncSecrets:Storage";

    /// <summary>
    /// A storage connection string: <c>UseDevelopmentStorage=true</c>,
    /// <c>DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..;[TableEndpoint=..|EndpointSuffix=..]</c>,
    /// or <c>TableEndpoint=..;SharedAccessSignature=..</c> (an account SAS).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Table service endpoint (e.g. <c>https://account.table.core.windows.net</c>), used with a
    /// TokenCredential when no connection string is configured, or with the account SAS its query
    /// string carries (<c>https://account.table.core.windows.net/?sv=..&amp;sig=..</c>).
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The table holding one partition per secret.</summary>
    public string TableName { get; set; } = "secrets";

    /// <summary>The table holding the due-time indexes (purge, rotate).</summary>
    public string DueTableName { get; set; } = "secretsdue";

    /// <summary>
    /// The table holding the listing index (ListSecrets' orders and name prefixes, issue 13);
    /// <see cref="TableName"/> + <c>list</c> when not set (<c>secretslist</c> by default).
    /// </summary>
    public string? ListTableName { get; set; }

    /// <summary>
    /// Page size (<c>$top</c>) of listing queries; null lets the service choose (1,000 rows).
    /// Tests set it small to exercise continuations.
    /// </summary>
    public int? ListPageSize { get; set; }

    /// <summary>
    /// The whole budget of one storage call, retries and their delays included. Storage that
    /// accepts connections but never answers fails the call with ServiceUnavailable after this
    /// long, however many retries fit (issue 11).
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Time allowed for one network operation of one try (connect, send, first byte, each read)
    /// before that try is abandoned and retried while <see cref="CallTimeout"/> lasts.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after a transient failure (network error, timeout, 408, 429, 5xx), within <see cref="CallTimeout"/>.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Consecutive failed storage calls (each already retried) after which storage counts as down:
    /// calls then fail at once with ServiceUnavailable until a probe succeeds.
    /// </summary>
    public int CircuitFailureThreshold { get; set; } = 2;

    /// <summary>How long the circuit stays open before one call is let through to probe storage.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(3);
}
