using System.Threading.Channels;
using FuncSecrets.Core.Logging;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// Takes audit records off the request path: a bounded channel drained by one background loop
/// that collects a batch until it holds <see cref="AuditBatchOptions.MaxRecords"/> records or its
/// first record is <see cref="AuditBatchOptions.MaxDelay"/> old, then writes it to the durable
/// store in one go. Stopping the process (disposal) writes what is buffered. A batch the store
/// refuses is spilled to the log, one line per record, so a storage outage loses nothing.
/// </summary>
public sealed partial class BufferedAuditSink : IAuditSink, IAsyncDisposable
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);
    private readonly Channel<Entry> _channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly IAuditStore _store;
    private readonly ILogger _logger;
    private readonly AuditBatchOptions _batching;
    private readonly Task _pump;

    public BufferedAuditSink(IAuditStore store, ILogger<BufferedAuditSink> logger, AuditBatchOptions? batching = null)
    {
        _store = store;
        _logger = logger;
        _batching = batching ?? new AuditBatchOptions();
        _pump = Task.Run(PumpAsync);
    }

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(new Entry(record, null)))
        {
            // Closed (the process is stopping): the log is the last place left for it.
            Spill(record);
        }

        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, CancellationToken cancellationToken) =>
        _store.ReadAsync(since, until, secret, cancellationToken);

    /// <summary>Writes what is buffered now, without waiting for the batch to fill (tests and shutdown).</summary>
    public async Task FlushAsync()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_channel.Writer.TryWrite(new Entry(null, written)))
        {
            await written.Task.WaitAsync(FlushTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<AuditRecord>(Math.Min(_batching.MaxRecords, 1024));
        var flushed = new List<TaskCompletionSource>();
        var open = true;
        var due = 0L;
        while (open)
        {
            var write = false;
            if (batch.Count == 0)
            {
                open = await reader.WaitToReadAsync();
            }
            else
            {
                using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, due - Environment.TickCount64)));
                try
                {
                    open = await reader.WaitToReadAsync(window.Token);
                }
                catch (OperationCanceledException)
                {
                    write = true;
                }
            }

            while (!write && batch.Count < _batching.MaxRecords && reader.TryRead(out var entry))
            {
                if (entry.Flushed is { } flush)
                {
                    flushed.Add(flush);
                    write = true;
                }
                else if (entry.Record is { } record)
                {
                    if (batch.Count == 0)
                    {
                        due = Environment.TickCount64 + (long)_batching.MaxDelay.TotalMilliseconds;
                    }

                    batch.Add(record);
                }
            }

            if (write || !open || batch.Count >= _batching.MaxRecords)
            {
                await WriteBatchAsync(batch);
                batch.Clear();
                foreach (var flush in flushed)
                {
                    flush.TrySetResult();
                }

                flushed.Clear();
            }
        }
    }

    private async Task WriteBatchAsync(List<AuditRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendAsync(batch, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Storage trouble must not stop the pump, nor lose the records: they go to the log.
            LogWriteFailed(_logger, batch.Count, $"{error.GetType().Name}: {error.Message}");
            foreach (var record in batch)
            {
                Spill(record);
            }
        }
    }

    private void Spill(AuditRecord record) =>
        LogRecord(_logger, record.EventTime.UtcDateTime, record.EventName, record.EventCategory, record.RequestId, record.PrincipalArn ?? "-", record.AccessKeyId ?? "-", record.SourceIp ?? "-", record.Resource ?? "-", record.VersionId ?? "-", record.ErrorCode ?? "-", record.RequestParameters ?? "{}");

    [LoggerMessage(200, LogLevel.Warning, "audit {EventName} {EventCategory} time={EventTime:O} request={RequestId} principal={Principal} key={AccessKeyId} ip={SourceIp} resource={Resource} version={VersionId} error={ErrorCode} params={RequestParameters}")]
    private static partial void LogRecord(ILogger logger, DateTime eventTime, LogText eventName, LogText eventCategory, LogText requestId, LogText principal, LogText accessKeyId, LogText sourceIp, LogText resource, LogText versionId, LogText errorCode, LogText requestParameters);

    // The reason as escaped text, not the exception: storage errors carry multi-line messages.
    [LoggerMessage(201, LogLevel.Warning, "Could not write {Count} audit records to storage; they follow in the log ({Reason})")]
    private static partial void LogWriteFailed(ILogger logger, int count, LogText reason);

    /// <summary>A record, or a request to write the batch now (completed when it is written).</summary>
    private readonly record struct Entry(AuditRecord? Record, TaskCompletionSource? Flushed);
}

/// <summary>How audit records are batched into one storage write (<c>FuncSecrets:Audit</c>).</summary>
public sealed class AuditBatchOptions
{
    /// <summary>A batch is written when it holds this many records…</summary>
    public int MaxRecords { get; set; } = 1_000;

    /// <summary>…or when its first record is this old.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The durable side of the audit trail (CloudTrail-format files in a blob container).</summary>
public interface IAuditStore
{
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, CancellationToken cancellationToken);
}
