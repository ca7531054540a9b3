using Azure.Data.Tables;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Maintenance of the listing index (<see cref="ListIndexKeys"/>): every secret has one row per
/// sort key and direction in the partition of its state, each carrying a copy of the listed
/// metadata, so a page is one ranged query. The rows live in their own table and cannot share
/// the secret's transaction; instead (docs/listing.md):
/// <list type="number">
/// <item>before the metadata commit, a writer upserts the new state's rows <em>unconfirmed</em>
/// and marks the old state's rows that will go unconfirmed;</item>
/// <item>after it, the writer deletes those old rows and confirms its new ones (conditional on
/// the ETags it wrote, so a later writer's marks win).</item>
/// </list>
/// Readers trust confirmed rows and check unconfirmed ones against the metadata row: a match is
/// listed from the metadata (and confirmed once older than <see cref="StaleRowGrace"/>), anything
/// else is skipped (and deleted once that old). So a crash at any point leaves only unconfirmed
/// rows out of step, and every secret is listed exactly once. A deployment's first listing, or
/// <see cref="RebuildListIndexAsync"/>, adds the rows of secrets that have none (backfill, repair).
/// </summary>
public sealed partial class TableSecretStore
{
    private const string ListTableKey = "ListTableName";
    private const string MarkerPartition = "marker";
    private const string MarkerRow = "backfill-v1";
    private const int RebuildParallelism = 4;
    private const int RebuildPageSize = 1000;

    // Index row properties besides the copied metadata.
    private const string Confirmed = "Confirmed";
    private const string MetaETag = "MetaETag";

    // When a writer last wrote the row, by its own clock: the grace below is minutes, far above
    // clock skew, and the service's Timestamp is not reliably returned under $select (Azurite).
    private const string Written = "Written";

    private static readonly string[] StateSelect = [P.PartitionKey, P.RowKey, P.Name, P.CreatedDate, P.LastChangedDate, P.LastAccessedDate, P.DeletedDate];
    private static readonly string[] ETagSelect = [P.PartitionKey, P.RowKey];

    /// <summary>Metadata a listing never shows, left out of the copies (the sealed value above all).</summary>
    private static readonly HashSet<string> NotCopied = [.. SecretEntityMapper.AllParts(P.ResourcePolicy).Concat(SecretEntityMapper.AllParts(P.CurrentCiphertext)).Concat([P.CurrentKeyId, P.CurrentWrappedKey, P.CurrentNonce, P.PartitionKey, P.RowKey])];

    private readonly Lock _indexGate = new();
    private Task? _indexReady;

    /// <summary>
    /// How old an unconfirmed row must be before a reader confirms or deletes it; younger ones
    /// may belong to a write still in flight. Tests set it to zero.
    /// </summary>
    internal TimeSpan StaleRowGrace { get; set; } = TimeSpan.FromMinutes(5);

    internal string ListTableName => _listTable;

    /// <summary>
    /// Backfill and repair sweep: adds the index rows of every secret that lacks them, from its
    /// metadata row (inserts only, batched per index partition, so no row a writer wrote is
    /// replaced), then reads every metadata row's ETag again and unconfirms the rows it added for
    /// secrets that changed meanwhile, so readers check those. Safe beside live traffic and
    /// idempotent. Rows whose secret is gone are left to readers to drop. Cost: two passes over
    /// the secrets.
    /// </summary>
    public async Task RebuildListIndexAsync(CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var filter = $"RowKey eq {Quote(P.MetaRowKey)}";
        var scanned = new Dictionary<string, SecretRecord>(StringComparer.Ordinal);
        var pending = new List<TableEntity>();
        await foreach (var entity in _client.QueryAsync(_table, filter, SecretEntityMapper.ListSelect, RebuildPageSize, cancellationToken))
        {
            var record = SecretEntityMapper.FromMetaEntity(entity);
            scanned[entity.PartitionKey] = StateOnly(record);
            pending.AddRange(IndexRows(record, confirmedAs: record.ETag));
            if (pending.Count >= RebuildPageSize * ListIndexKeys.SortKeys.Length)
            {
                await InsertBatchedAsync(pending, cancellationToken);
                pending.Clear();
            }
        }

        await InsertBatchedAsync(pending, cancellationToken);
        await foreach (var entity in _client.QueryAsync(_table, filter, ETagSelect, RebuildPageSize, cancellationToken))
        {
            if (scanned.TryGetValue(entity.PartitionKey, out var state) && state.ETag != entity.ETagText())
            {
                await Task.WhenAll(IndexRows(state).Select(row => UnconfirmAsync(row, cancellationToken)));
            }
        }

        var marker = new TableEntity(MarkerPartition, MarkerRow);
        marker.Set(P.Schema, SecretEntityMapper.SchemaVersion);
        await _client.UpsertEntityAsync(_listTable, marker, cancellationToken);
        TableLog.ListIndexRebuilt(_logger, _table);
    }

    /// <summary>Backfills once per process when the index was never completed (older deployments).</summary>
    private Task ListIndexReadyAsync(CancellationToken cancellationToken) =>
        Once(ref _indexReady, _indexGate, BackfillIfNeededAsync, cancellationToken);

    private async Task BackfillIfNeededAsync(CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        if (await _client.GetEntityAsync(_listTable, MarkerPartition, MarkerRow, cancellationToken) is null)
        {
            await RebuildListIndexAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The index rows of a secret in this state, one per sort key and direction, each a copy of
    /// the listed metadata; unconfirmed unless <paramref name="confirmedAs"/> names the metadata
    /// row's ETag they were copied from.
    /// </summary>
    internal List<TableEntity> IndexRows(SecretRecord state, string? confirmedAs = null)
    {
        var copy = SecretEntityMapper.ToMetaEntity(state);
        var written = _time.GetUtcNow();
        var rows = new List<TableEntity>(ListIndexKeys.SortKeys.Length * 2);
        foreach (var sortBy in ListIndexKeys.SortKeys)
        {
            foreach (var descending in (bool[])[false, true])
            {
                var row = new TableEntity(
                    ListIndexKeys.Partition(state.IsDeleted),
                    ListIndexKeys.RowKey(sortBy, descending, SecretListKeys.PositionOf(state, sortBy)));
                foreach (var (key, value) in copy)
                {
                    if (!NotCopied.Contains(key) && !key.StartsWith("odata", StringComparison.Ordinal))
                    {
                        row[key] = value;
                    }
                }

                row.Set(Written, written);
                row.Set(Confirmed, confirmedAs is not null);
                row.Set(MetaETag, confirmedAs);
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>The secret as a confirmed row shows it; null for an unconfirmed row.</summary>
    private static SecretRecord? Trusted(TableEntity row)
    {
        if (row.GetBoolean(Confirmed) != true)
        {
            return null;
        }

        var record = SecretEntityMapper.FromMetaEntity(row);
        record.ETag = row.GetString(MetaETag);
        return record;
    }

    /// <summary>Reads what the index needs of a secret's metadata row; null when it is gone.</summary>
    private async Task<SecretRecord?> ReadStateAsync(string name, CancellationToken cancellationToken)
    {
        var entity = await _client.GetEntityAsync(_table, SecretEntityMapper.PartitionKeyOf(name), P.MetaRowKey, cancellationToken, StateSelect);
        return entity is null ? null : new SecretRecord
        {
            Name = entity.GetString(P.Name) ?? TableKeyEscaper.Unescape(entity.PartitionKey),
            ArnSuffix = string.Empty,
            CreatedDate = entity.GetDateTimeOffset(P.CreatedDate) ?? default,
            LastChangedDate = entity.GetDateTimeOffset(P.LastChangedDate),
            LastAccessedDate = entity.GetDateTimeOffset(P.LastAccessedDate),
            DeletedDate = entity.GetDateTimeOffset(P.DeletedDate),
            ETag = entity.ETagText(),
        };
    }

    private static SecretRecord StateOnly(SecretRecord record) => new()
    {
        Name = record.Name,
        ArnSuffix = string.Empty,
        CreatedDate = record.CreatedDate,
        LastChangedDate = record.LastChangedDate,
        LastAccessedDate = record.LastAccessedDate,
        DeletedDate = record.DeletedDate,
        ETag = record.ETag,
    };

    /// <summary>The (partition, row key) of each index row of a secret in this state, without copies.</summary>
    private static IEnumerable<(string, string)> IndexRowIds(SecretRecord state)
    {
        var partition = ListIndexKeys.Partition(state.IsDeleted);
        foreach (var sortBy in ListIndexKeys.SortKeys)
        {
            var position = SecretListKeys.PositionOf(state, sortBy);
            yield return (partition, ListIndexKeys.RowKey(sortBy, descending: false, position));
            yield return (partition, ListIndexKeys.RowKey(sortBy, descending: true, position));
        }
    }

    /// <summary>
    /// Step one of a change: the new state's rows, unconfirmed, and the rows of the old state
    /// that will go marked unconfirmed, through the partition's group commit (one transaction per
    /// state partition, shared with concurrent writers). Returns what step two must do, with the
    /// ETags step one got.
    /// </summary>
    private async Task<IndexIntent> WriteIntentAsync(SecretRecord? before, SecretRecord after, CancellationToken cancellationToken)
    {
        var rows = IndexRows(after);
        var keep = rows.Select(RowId).ToHashSet();
        var leaving = before is null ? [] : IndexRowIds(before).Where(id => !keep.Contains(id)).ToList();
        var actions = rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList();
        actions.AddRange(leaving.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertMerge, UnconfirmedMark(id))));
        var etags = await SubmitByPartitionAsync(actions, cancellationToken);
        return new IndexIntent(
            [.. rows.Select(row => (RowId(row), etags.GetValueOrDefault(RowId(row))))],
            [.. leaving.Select(id => (id, etags.GetValueOrDefault(id)))]);
    }

    /// <summary>
    /// Step two, after the commit: deletes the old state's rows the new one does not have and
    /// confirms the new ones, each conditional on the ETag step one got (a later writer's mark,
    /// or a later writer's new copy of a row this write leaves, wins over this late step). Queued,
    /// not awaited: the answer does not wait for it, and a crash before it is sent leaves the
    /// state a crash right after the commit leaves (docs/listing.md). Only when the partition's
    /// queue is backlogged does the writer wait, which bounds the queue.
    /// </summary>
    private async Task FinishAsync(IndexIntent intent, string? metaETag)
    {
        if (DropConfirmations)
        {
            return;
        }

        var actions = intent.Remove
            .Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.Row.Item1, r.Row.Item2), r.ETag is null ? global::Azure.ETag.All : new global::Azure.ETag(r.ETag)))
            .ToList();
        foreach (var ((partition, rowKey), etag) in intent.Confirm)
        {
            if (etag is not null)
            {
                var row = new TableEntity(partition, rowKey);
                row.Set(Confirmed, true);
                row.Set(MetaETag, metaETag);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, new global::Azure.ETag(etag)));
            }
        }

        foreach (var group in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        {
            var sent = ObserveAsync(EnqueueIndexChange(group.Key, [.. group], confirmation: true));
            if (Backlogged(group.Key))
            {
                await sent;
            }
        }
    }

    /// <summary>A step two that failed is left to readers and the sweep: the secret is committed.</summary>
    private async Task ObserveAsync(Task sending)
    {
        try
        {
            await sending;
        }
        catch (AwsException)
        {
            TableLog.ListIndexConfirmFailed(_logger);
        }
    }

    /// <summary>
    /// Runs index changes through each partition's group commit (<see cref="EnqueueIndexChange"/>)
    /// and returns the new ETags.
    /// </summary>
    private async Task<Dictionary<(string, string), string?>> SubmitByPartitionAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var sends = actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal)
            .Select(group => EnqueueIndexChange(group.Key, [.. group]).WaitAsync(cancellationToken))
            .ToList();
        var etags = new Dictionary<(string, string), string?>();
        foreach (var sent in await Task.WhenAll(sends))
        {
            foreach (var (id, etag) in sent)
            {
                etags[id] = etag;
            }
        }

        return etags;
    }

    /// <summary>
    /// After a write that did not commit: rewrites the rows of the state that did (unconfirmed),
    /// so copies the failed write changed are right again. Its other rows are left to readers.
    /// </summary>
    private async Task RestoreRowsAsync(string name, CancellationToken cancellationToken)
    {
        var current = await GetAsync(name, cancellationToken);
        if (current is not null)
        {
            current.CurrentValue = null;
            await SubmitByPartitionAsync([.. IndexRows(current).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row))], cancellationToken);
        }
    }

    private async Task UnconfirmAsync(TableEntity row, CancellationToken cancellationToken) =>
        await _client.MergeEntityAsync(_listTable, UnconfirmedMark(RowId(row)), "*", cancellationToken);

    /// <summary>
    /// Marks a row unconfirmed and fresh. As an insert-or-merge it may create a row without a
    /// name where none was: readers skip and later delete such a row.
    /// </summary>
    private TableEntity UnconfirmedMark((string Partition, string RowKey) id)
    {
        var mark = new TableEntity(id.Partition, id.RowKey);
        mark.Set(Confirmed, false);
        mark.Set(Written, _time.GetUtcNow());
        return mark;
    }

    /// <summary>Inserts rows that are missing, in transactions; a batch meeting an existing row goes row by row.</summary>
    private async Task InsertBatchedAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var batches = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.DistinctBy(r => r.RowKey, StringComparer.Ordinal).Chunk(TableStorageClient.MaxTransactionActions))
            .ToList();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = RebuildParallelism, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var result = await _client.SubmitTransactionAsync(_listTable, [.. batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r))], token);
                if (result.Succeeded)
                {
                    return;
                }

                if (result.FailedStatus != 409)
                {
                    throw _client.TransactionFailed("RebuildListIndex", result);
                }

                foreach (var row in batch)
                {
                    await _client.AddEntityAsync(_listTable, row, token);
                }
            });
    }

    private static (string, string) RowId(TableEntity row) => (row.PartitionKey, row.RowKey);

    /// <summary>An unconfirmed row older than the grace: no write that wrote it can still be in flight.</summary>
    private bool IsStale(TableEntity row) =>
        row.GetDateTimeOffset(Written) is { } written && written <= _time.GetUtcNow() - StaleRowGrace;

    /// <summary>What step two of a change confirms and removes, with the ETags step one left on those rows.</summary>
    private sealed record IndexIntent(List<((string, string) Row, string? ETag)> Confirm, List<((string, string) Row, string? ETag)> Remove);

    /// <summary>
    /// A reader checked an unconfirmed row against the metadata row: once it is older than the
    /// grace (no write can still be in flight), a row that matches is confirmed with the
    /// metadata's copy and one that does not is deleted, both conditional on the row's ETag.
    /// </summary>
    private async Task SettleAsync(TableEntity row, SecretRecord? current, bool matches, CancellationToken cancellationToken)
    {
        if (!IsStale(row))
        {
            return;
        }

        try
        {
            if (matches && current is not null)
            {
                var settled = IndexRows(current, confirmedAs: current.ETag).Single(r => RowId(r) == RowId(row));
                await _client.ReplaceEntityAsync(_listTable, settled, row.ETag.ToString(), cancellationToken);
            }
            else
            {
                await _client.DeleteEntityAsync(_listTable, row.PartitionKey, row.RowKey, row.ETag.ToString(), cancellationToken);
            }
        }
        catch (AwsException)
        {
            // Best effort: the next reader tries again.
        }
    }
}
