namespace FuncSecrets.Core.Audit;

/// <summary>Where audit records go and how they are read back.</summary>
public interface IAuditSink
{
    /// <summary>Records one call. Must not throw for a storage fault (the call already happened).</summary>
    ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>The records of a time range, oldest first, optionally about one secret (name or ARN prefix).</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, CancellationToken cancellationToken);
}
