using Azure.Data.Tables;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Maintenance of the listing index (<see cref="ListIndexKeys"/>): every secret has one row per
/// sort key and direction in the partition of its state. The rows live in their own table, so
/// they cannot share the secret's transaction; instead (docs/listing.md):
/// <list type="bullet">
/// <item>writers upsert the rows of the new state <em>before</em> the metadata commit and delete
/// the rows of the old state after it, so a committed state always has its rows;</item>
/// <item>readers treat a row as a hint: it counts only if the metadata row maps to exactly that
/// row, so a row left by a crash or a lost race is skipped (and deleted once it is older than
/// <see cref="StaleRowGrace"/>, so an in-flight writer's row is never taken for garbage);</item>
/// <item>a deployment's first listing, or <see cref="RebuildListIndexAsync"/>, writes the rows of
/// every secret from its metadata row (backfill and repair sweep).</item>
/// </list>
/// </summary>
public sealed partial class TableSecretStore
{
    private const string ListTableKey = "ListTableName";
    private const string MarkerPartition = "marker";
    private const string MarkerRow = "backfill-v1";
    private const int RebuildParallelism = 8;
    private const int RebuildPageSize = 1000;

    // Hints on name rows: the other orders' keys, for name prefixes in a date order.
    private const string HintCreated = "Created";
    private const string HintChanged = "Changed";
    private const string HintAccessed = "Accessed";

    // When a writer wrote the row, by its own clock: the service's Timestamp is not reliably
    // returned under $select (Azurite), and the grace below is minutes, far above clock skew.
    private const string Written = "Written";

    private static readonly string[] IndexSelect = [P.PartitionKey, P.RowKey, P.Name, HintCreated, HintChanged, HintAccessed, Written];
    private static readonly string[] StateSelect = [P.PartitionKey, P.RowKey, P.Name, P.CreatedDate, P.LastChangedDate, P.LastAccessedDate, P.DeletedDate];

    private readonly Lock _indexGate = new();
    private Task? _indexReady;

    /// <summary>
    /// How old a row that does not match its secret must be before a reader deletes it; younger
    /// ones may belong to a write still in flight. Tests set it to zero.
    /// </summary>
    internal TimeSpan StaleRowGrace { get; set; } = TimeSpan.FromMinutes(5);

    internal string ListTableName => _listTable;

    /// <summary>
    /// The repair sweep and backfill: writes the index rows of every secret from its metadata row
    /// (batched per index partition), then marks the index complete. Idempotent and safe beside
    /// live traffic: a row it writes for a state that changed meanwhile is only a stale hint.
    /// Rows whose secret is gone are left to readers to drop. Cost: one pass over all secrets.
    /// </summary>
    public async Task RebuildListIndexAsync(CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var filter = $"RowKey eq {Quote(P.MetaRowKey)}";
        var pending = new List<TableEntity>();
        await foreach (var entity in _client.QueryAsync(_table, filter, StateSelect, RebuildPageSize, cancellationToken))
        {
            pending.AddRange(IndexRows(StateOf(entity)));
            if (pending.Count >= RebuildPageSize * ListIndexKeys.SortKeys.Length)
            {
                await UpsertBatchedAsync(pending, cancellationToken);
                pending.Clear();
            }
        }

        await UpsertBatchedAsync(pending, cancellationToken);
        var marker = new TableEntity(MarkerPartition, MarkerRow);
        marker.Set(P.Schema, SecretEntityMapper.SchemaVersion);
        await _client.UpsertEntityAsync(_listTable, marker, cancellationToken);
        TableLog.ListIndexRebuilt(_logger, _table);
    }

    /// <summary>Backfills once per process when the index was never completed (older deployments).</summary>
    private Task ListIndexReadyAsync(CancellationToken cancellationToken)
    {
        var ready = _indexReady;
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_indexGate)
        {
            if (_indexReady is null || _indexReady.IsFaulted || _indexReady.IsCanceled)
            {
                _indexReady = BackfillIfNeededAsync(cancellationToken);
            }

            return _indexReady;
        }
    }

    private async Task BackfillIfNeededAsync(CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        if (await _client.GetEntityAsync(_listTable, MarkerPartition, MarkerRow, cancellationToken) is null)
        {
            await RebuildListIndexAsync(cancellationToken);
        }
    }

    /// <summary>The index rows a secret in this state has: one per sort key and direction.</summary>
    internal List<TableEntity> IndexRows(SecretRecord state) => IndexRows(state, _time.GetUtcNow());

    internal static List<TableEntity> IndexRows(SecretRecord state, DateTimeOffset written)
    {
        var rows = new List<TableEntity>(ListIndexKeys.SortKeys.Length * 2);
        foreach (var sortBy in ListIndexKeys.SortKeys)
        {
            foreach (var descending in (bool[])[false, true])
            {
                var row = new TableEntity(
                    ListIndexKeys.Partition(sortBy, descending, state.IsDeleted),
                    ListIndexKeys.RowKey(sortBy, descending, SecretListKeys.PositionOf(state, sortBy)));
                row.Set(P.Name, state.Name);
                row.Set(Written, written);
                if (sortBy == SecretSortKey.Name)
                {
                    row.Set(HintCreated, SecretListKeys.Of(state, SecretSortKey.CreatedDate));
                    row.Set(HintChanged, SecretListKeys.Of(state, SecretSortKey.LastChangedDate));
                    row.Set(HintAccessed, SecretListKeys.Of(state, SecretSortKey.LastAccessedDate));
                }

                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Reads what the index needs of a secret's metadata row; null when it is gone.</summary>
    private async Task<SecretRecord?> ReadStateAsync(string name, CancellationToken cancellationToken)
    {
        var entity = await _client.GetEntityAsync(_table, SecretEntityMapper.PartitionKeyOf(name), P.MetaRowKey, cancellationToken, StateSelect);
        return entity is null ? null : StateOf(entity);
    }

    private static SecretRecord StateOf(TableEntity entity) => new()
    {
        Name = entity.GetString(P.Name) ?? TableKeyEscaper.Unescape(entity.PartitionKey),
        ArnSuffix = string.Empty,
        CreatedDate = entity.GetDateTimeOffset(P.CreatedDate) ?? default,
        LastChangedDate = entity.GetDateTimeOffset(P.LastChangedDate),
        LastAccessedDate = entity.GetDateTimeOffset(P.LastAccessedDate),
        DeletedDate = entity.GetDateTimeOffset(P.DeletedDate),
        ETag = entity.ETagText(),
    };

    /// <summary>Step one of a change: the rows of the new state that differ from the old one's.</summary>
    private async Task WriteNewRowsAsync(SecretRecord? before, SecretRecord after, CancellationToken cancellationToken)
    {
        var old = before is null ? [] : IndexRows(before).ToDictionary(RowId);
        var writes = IndexRows(after).Where(row => !old.TryGetValue(RowId(row), out var was) || !SameHints(was, row));
        await Task.WhenAll(writes.Select(row => _client.UpsertEntityAsync(_listTable, row, cancellationToken)));
    }

    /// <summary>Step three: the rows of the old state the new one no longer has.</summary>
    private async Task DeleteOldRowsAsync(SecretRecord? before, SecretRecord? after, CancellationToken cancellationToken)
    {
        if (before is null)
        {
            return;
        }

        var keep = after is null ? [] : IndexRows(after).Select(RowId).ToHashSet();
        var deletes = IndexRows(before).Where(row => !keep.Contains(RowId(row)));
        await Task.WhenAll(deletes.Select(row => _client.DeleteEntityAsync(_listTable, row.PartitionKey, row.RowKey, "*", cancellationToken)));
    }

    /// <summary>
    /// After a write that did not commit: puts back the rows of the state that did, so hints the
    /// failed write changed (name rows) are right again. Its own new rows are left as stale hints.
    /// </summary>
    private async Task RestoreRowsAsync(string name, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(name, cancellationToken);
        if (state is not null)
        {
            await WriteNewRowsAsync(null, state, cancellationToken);
        }
    }

    private async Task UpsertBatchedAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var batches = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.DistinctBy(r => r.RowKey, StringComparer.Ordinal).Chunk(TableStorageClient.MaxTransactionActions))
            .ToList();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = RebuildParallelism, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var result = await _client.SubmitTransactionAsync(_listTable, [.. batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))], token);
                if (!result.Succeeded)
                {
                    throw _client.TransactionFailed("RebuildListIndex", result);
                }
            });
    }

    private static (string, string) RowId(TableEntity row) => (row.PartitionKey, row.RowKey);

    private static bool SameHints(TableEntity a, TableEntity b) =>
        a.GetString(HintCreated) == b.GetString(HintCreated)
        && a.GetString(HintChanged) == b.GetString(HintChanged)
        && a.GetString(HintAccessed) == b.GetString(HintAccessed);

    /// <summary>A reader found a row its secret does not map to: delete it once it is surely not in flight.</summary>
    private async Task DropStaleAsync(TableEntity row, CancellationToken cancellationToken)
    {
        if (row.GetDateTimeOffset(Written) is { } written && written <= _time.GetUtcNow() - StaleRowGrace)
        {
            try
            {
                // Conditional: a writer that rewrote the row since we read it keeps it.
                await _client.DeleteEntityAsync(_listTable, row.PartitionKey, row.RowKey, row.ETag.ToString(), cancellationToken);
            }
            catch (AwsException)
            {
                // Best effort: the next reader tries again.
            }
        }
    }
}
