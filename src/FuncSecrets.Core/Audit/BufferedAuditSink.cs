using System.Threading.Channels;
using FuncSecrets.Core.Logging;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// Takes audit records off the request path: a bounded channel drained by one background loop
/// that writes batches to the durable sink. Each record also goes to the structured log at once,
/// so nothing is lost from the log even if the process dies before a batch is written.
/// </summary>
public sealed partial class BufferedAuditSink : IAuditSink, IAsyncDisposable
{
    private const int Capacity = 10_000;
    private readonly Channel<AuditRecord> _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly IAuditStore _store;
    private readonly ILogger _logger;
    private readonly Task _pump;

    public BufferedAuditSink(IAuditStore store, ILogger<BufferedAuditSink> logger)
    {
        _store = store;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        LogRecord(_logger, record.EventName, record.EventCategory, record.RequestId, record.PrincipalArn ?? "-", record.AccessKeyId ?? "-", record.SourceIp ?? "-", record.Resource ?? "-", record.VersionId ?? "-", record.ErrorCode ?? "-", record.RequestParameters ?? "{}");
        _channel.Writer.TryWrite(record);
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, CancellationToken cancellationToken) =>
        _store.ReadAsync(since, until, secret, cancellationToken);

    /// <summary>Writes what is buffered now (tests and shutdown).</summary>
    public async Task FlushAsync()
    {
        var spin = 0;
        while (_channel.Reader.Count > 0 && spin++ < 500)
        {
            await Task.Delay(10);
        }

        await _store.FlushAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var batch = new List<AuditRecord>(100);
        while (await _channel.Reader.WaitToReadAsync())
        {
            while (batch.Count < 100 && _channel.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await _store.AppendAsync(batch, CancellationToken.None);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The log already has these records; storage trouble must not stop the pump.
                LogWriteFailed(_logger, error, batch.Count);
            }

            batch.Clear();
        }
    }

    [LoggerMessage(200, LogLevel.Information, "audit {EventName} {EventCategory} request={RequestId} principal={Principal} key={AccessKeyId} ip={SourceIp} resource={Resource} version={VersionId} error={ErrorCode} params={RequestParameters}")]
    private static partial void LogRecord(ILogger logger, LogText eventName, LogText eventCategory, LogText requestId, LogText principal, LogText accessKeyId, LogText sourceIp, LogText resource, LogText versionId, LogText errorCode, LogText requestParameters);

    [LoggerMessage(201, LogLevel.Warning, "Could not write {Count} audit records to storage; they are in the log")]
    private static partial void LogWriteFailed(ILogger logger, Exception error, int count);
}

/// <summary>The durable side of the audit trail (a table partitioned by hour).</summary>
public interface IAuditStore
{
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, CancellationToken cancellationToken);

    Task FlushAsync(CancellationToken cancellationToken);
}
