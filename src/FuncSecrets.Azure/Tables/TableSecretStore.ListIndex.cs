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

    /// <summary>
    /// Step one of a change: the new state's rows, unconfirmed, and the rows of the old state
    /// that will go marked unconfirmed: one transaction per state partition (one in all but a
    /// delete or restore). Returns the ETags of the rows written, for step two.
    /// </summary>
    private async Task<Dictionary<(string, string), string?>> WriteIntentAsync(SecretRecord? before, SecretRecord after, CancellationToken cancellationToken)
    {
        var rows = IndexRows(after);
        var keep = rows.Select(RowId).ToHashSet();
        var actions = rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList();
        if (before is not null)
        {
            actions.AddRange(IndexRows(before).Where(row => !keep.Contains(RowId(row))).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, UnconfirmedMark(row))));
        }

        var etags = await SubmitByPartitionAsync(actions, cancellationToken);
        return rows.ToDictionary(RowId, row => etags.GetValueOrDefault(RowId(row)));
    }

    /// <summary>
    /// Step two, after the commit: deletes the old state's rows the new one does not have and
    /// confirms the new ones, each conditional on the ETag step one got (a later writer's mark
    /// wins over this late confirmation).
    /// </summary>
    private async Task FinishAsync(SecretRecord? before, SecretRecord? after, Dictionary<(string, string), string?> written, string? metaETag, CancellationToken cancellationToken)
    {
        var keep = after is null ? [] : IndexRows(after).Select(RowId).ToHashSet();
        var actions = before is null ? [] : IndexRows(before).Where(row => !keep.Contains(RowId(row)))
            .Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, row.RowKey), global::Azure.ETag.All)).ToList();
        foreach (var ((partition, rowKey), etag) in written)
        {
            if (etag is not null)
            {
                var row = new TableEntity(partition, rowKey);
                row.Set(Confirmed, true);
                row.Set(MetaETag, metaETag);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, new global::Azure.ETag(etag)));
            }
        }

        await SubmitByPartitionAsync(actions, cancellationToken);
    }

    /// <summary>
    /// Runs index changes as one transaction per partition. A transaction refused because one of
    /// its rows moved on (404, 409, 412: a concurrent writer or reader) is retried row by row,
    /// where each such refusal only means that row is someone else's now. Returns the new ETags.
    /// </summary>
    private async Task<Dictionary<(string, string), string?>> SubmitByPartitionAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var etags = new Dictionary<(string, string), string?>();
        foreach (var group in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        {
            var batch = group.ToList();
            var result = await _client.SubmitTransactionAsync(_listTable, batch, cancellationToken);
            if (result.Succeeded)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    etags[(batch[i].Entity.PartitionKey, batch[i].Entity.RowKey)] = result.ETags[i];
                }

                continue;
            }

            if (result.FailedStatus is not (404 or 409 or 412))
            {
                throw _client.TransactionFailed("ListIndex", result);
            }

            foreach (var action in batch)
            {
                var entity = (TableEntity)action.Entity;
                var single = action.ActionType switch
                {
                    TableTransactionActionType.Delete => _client.DeleteEntityAsync(_listTable, entity.PartitionKey, entity.RowKey, action.ETag.ToString(), cancellationToken),
                    TableTransactionActionType.UpdateMerge => _client.MergeEntityAsync(_listTable, entity, action.ETag.ToString(), cancellationToken),
                    TableTransactionActionType.UpsertMerge => _client.MergeEntityAsync(_listTable, entity, "*", cancellationToken),
                    _ => _client.UpsertEntityAsync(_listTable, entity, cancellationToken),
                };
                etags[(entity.PartitionKey, entity.RowKey)] = (await single).ETag;
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
            await Task.WhenAll(IndexRows(current).Select(row => _client.UpsertEntityAsync(_listTable, row, cancellationToken)));
        }
    }

    private async Task UnconfirmAsync(TableEntity row, CancellationToken cancellationToken) =>
        await _client.MergeEntityAsync(_listTable, UnconfirmedMark(row), "*", cancellationToken);

    /// <summary>
    /// Marks a row unconfirmed and fresh. As an insert-or-merge it may create a row without a
    /// name where none was: readers skip and later delete such a row.
    /// </summary>
    private TableEntity UnconfirmedMark(TableEntity row)
    {
        var mark = new TableEntity(row.PartitionKey, row.RowKey);
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

    /// <summary>
    /// A reader checked an unconfirmed row against the metadata row: once it is older than the
    /// grace (no write can still be in flight), a row that matches is confirmed with the
    /// metadata's copy and one that does not is deleted, both conditional on the row's ETag.
    /// </summary>
    private async Task SettleAsync(TableEntity row, SecretRecord? current, bool matches, CancellationToken cancellationToken)
    {
        if (row.GetDateTimeOffset(Written) is not { } written || written > _time.GetUtcNow() - StaleRowGrace)
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
