using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Audit;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.Audit;

/// <summary>
/// The audit trail in its own table, one partition per UTC hour (<c>yyyyMMddHH</c>), rows keyed
/// by event time and request id: reading an hour or a day is a handful of partition queries,
/// and writes of one hour go out as batches.
/// </summary>
public sealed class TableAuditStore : IAuditStore
{
    private const string TimeFormat = "D19";

    // Orders records written within the same clock tick by this process in call order.
    private static long _sequence;
    private readonly TableStorageClient _client;
    private readonly string _table;

    private TableAuditStore(TableStorageClient client, string table)
    {
        _client = client;
        _table = table;
    }

    public static async Task<TableAuditStore> CreateAsync(TableStoreOptions options, string table, TokenCredential? credential, ILogger logger, CancellationToken cancellationToken)
    {
        var store = new TableAuditStore(TableStorageClient.FromOptions(options, credential, logger), table);
        await store._client.CreateTableIfNotExistsAsync(table, cancellationToken);
        return store;
    }

    public static string PartitionOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        foreach (var hour in records.GroupBy(r => PartitionOf(r.EventTime)))
        {
            foreach (var chunk in hour.Chunk(TableStorageClient.MaxTransactionActions))
            {
                var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r))).ToList();
                var result = await _client.SubmitTransactionAsync(_table, actions, cancellationToken);
                if (!result.Succeeded)
                {
                    throw _client.TransactionFailed("AppendAudit", result);
                }
            }
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var hour = new DateTimeOffset(since.UtcDateTime.Date.AddHours(since.UtcDateTime.Hour), TimeSpan.Zero);
        while (hour <= until)
        {
            var filter = $"PartitionKey eq '{PartitionOf(hour)}' and RowKey ge '{since.UtcTicks.ToString(TimeFormat, CultureInfo.InvariantCulture)}' and RowKey le '{until.UtcTicks.ToString(TimeFormat, CultureInfo.InvariantCulture)}~'";
            await foreach (var entity in _client.QueryAsync(_table, filter, select: null, pageSize: null, cancellationToken))
            {
                var record = FromEntity(entity);
                if (secret is null || AuditMatch.IsAbout(record, secret))
                {
                    yield return record;
                }
            }

            hour = hour.AddHours(1);
        }
    }

    private static TableEntity ToEntity(AuditRecord record)
    {
        var sequence = Interlocked.Increment(ref _sequence).ToString("X16", CultureInfo.InvariantCulture);
        var rowKey = record.EventTime.UtcTicks.ToString(TimeFormat, CultureInfo.InvariantCulture) + "_" + sequence + "_" + record.RequestId;
        var entity = new TableEntity(PartitionOf(record.EventTime), rowKey);
        entity.Set(nameof(AuditRecord.EventTime), record.EventTime);
        entity.Set(nameof(AuditRecord.EventName), record.EventName);
        entity.Set(nameof(AuditRecord.EventCategory), record.EventCategory);
        entity.Set(nameof(AuditRecord.RequestId), record.RequestId);
        entity.Set(nameof(AuditRecord.PrincipalArn), record.PrincipalArn);
        entity.Set(nameof(AuditRecord.AccessKeyId), record.AccessKeyId);
        entity.Set(nameof(AuditRecord.SourceIp), record.SourceIp);
        entity.Set(nameof(AuditRecord.UserAgent), record.UserAgent);
        entity.Set(nameof(AuditRecord.RequestParameters), record.RequestParameters);
        entity.Set(nameof(AuditRecord.Resource), record.Resource);
        entity.Set(nameof(AuditRecord.VersionId), record.VersionId);
        entity.Set(nameof(AuditRecord.ErrorCode), record.ErrorCode);
        entity.Set(nameof(AuditRecord.ErrorMessage), record.ErrorMessage);
        return entity;
    }

    private static AuditRecord FromEntity(TableEntity entity) => new()
    {
        EventTime = entity.GetDateTimeOffset(nameof(AuditRecord.EventTime)) ?? DateTimeOffset.MinValue,
        EventName = entity.GetString(nameof(AuditRecord.EventName)) ?? string.Empty,
        EventCategory = entity.GetString(nameof(AuditRecord.EventCategory)) ?? string.Empty,
        RequestId = entity.GetString(nameof(AuditRecord.RequestId)) ?? string.Empty,
        PrincipalArn = entity.GetString(nameof(AuditRecord.PrincipalArn)),
        AccessKeyId = entity.GetString(nameof(AuditRecord.AccessKeyId)),
        SourceIp = entity.GetString(nameof(AuditRecord.SourceIp)),
        UserAgent = entity.GetString(nameof(AuditRecord.UserAgent)),
        RequestParameters = entity.GetString(nameof(AuditRecord.RequestParameters)),
        Resource = entity.GetString(nameof(AuditRecord.Resource)),
        VersionId = entity.GetString(nameof(AuditRecord.VersionId)),
        ErrorCode = entity.GetString(nameof(AuditRecord.ErrorCode)),
        ErrorMessage = entity.GetString(nameof(AuditRecord.ErrorMessage)),
    };
}
