using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// <see cref="ISecretStore"/> on Azure Table Storage. One partition per secret (partition key =
/// escaped name): row <c>meta</c> holds the <see cref="SecretRecord"/> including a copy of the
/// AWSCURRENT sealed value, rows <c>v:&lt;id&gt;</c> hold one version each. Every change to a
/// secret is one entity-group transaction conditional on the metadata row's ETag. A second table
/// holds the due-time indexes (<see cref="IDueIndex"/>, in TableSecretStore.DueIndex.cs). Only sealed bytes pass through here, never plaintext.
/// </summary>
public sealed partial class TableSecretStore : ISecretStore, IDueIndex
{
    private const string SecretTableKey = "TableName";
    private const string DueTableKey = "DueTableName";

    /// <summary>Bounded: a concurrent purge can make a batch meet a row already gone.</summary>
    private const int MaxDeleteRounds = 5;

    private static readonly string[] RowKeyOnly = [P.RowKey];
    private static readonly string[] VersionListSelect = [P.PartitionKey, P.RowKey, P.CreatedDate, P.LastAccessedDate];

    private readonly TableStorageClient _client;
    private readonly string _table;
    private readonly string _dueTable;
    private readonly string _listTable;
    private readonly TimeProvider _time;
    private readonly int? _pageSize;
    private readonly ILogger _logger;
    private readonly Lock _tablesGate = new();
    private Task? _tables;

    internal TableSecretStore(TableStorageClient client, TableStoreOptions options, ILogger logger, TimeProvider? time = null)
    {
        _client = client;
        _table = options.TableName;
        _dueTable = options.DueTableName;
        _listTable = ListTableOf(options);
        _time = time ?? TimeProvider.System;
        _pageSize = options.ListPageSize;
        _logger = logger;
    }

    /// <summary>The storage client underneath, for tests that inspect raw rows.</summary>
    internal TableStorageClient Client => _client;

    internal string TableName => _table;

    internal string DueTableName => _dueTable;

    /// <summary>Creates the store and its two tables if they are missing.</summary>
    public static Task<TableSecretStore> CreateAsync(TableStoreOptions options, TokenCredential? credential, CancellationToken cancellationToken) =>
        CreateAsync(options, credential, NullLogger.Instance, cancellationToken);

    /// <summary>
    /// Creates the store and its two tables if they are missing. Uses
    /// <see cref="TableStoreOptions.ConnectionString"/> when set, otherwise
    /// <see cref="TableStoreOptions.TableEndpoint"/> with its SAS or with <paramref name="credential"/>
    /// (Entra ID, e.g. managed identity; the identity needs "Storage Table Data Contributor").
    /// </summary>
    public static async Task<TableSecretStore> CreateAsync(TableStoreOptions options, TokenCredential? credential, ILogger logger, CancellationToken cancellationToken)
    {
        var store = Create(options, credential, logger);
        await store.TablesReadyAsync(cancellationToken);
        return store;
    }

    /// <summary>
    /// Opens the store without any I/O: its tables are created on first use (and again after a
    /// failure), so the app starts while storage is unreachable and answers ServiceUnavailable
    /// until it returns.
    /// </summary>
    public static TableSecretStore Open(TableStoreOptions options, TokenCredential? credential, ILogger logger) =>
        Create(options, credential, logger);

    /// <summary>Creates the tables once; a failed attempt is retried by the next call.</summary>
    private Task TablesReadyAsync(CancellationToken cancellationToken) =>
        Once(ref _tables, _tablesGate, CreateTablesAsync, cancellationToken);

    /// <summary>
    /// Runs <paramref name="start"/> once per store and hands every caller the same task; a
    /// failed or cancelled run is started again by the next caller.
    /// </summary>
    private static Task Once(ref Task? slot, Lock gate, Func<CancellationToken, Task> start, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref slot) is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (gate)
        {
            if (slot is null || slot.IsFaulted || slot.IsCanceled)
            {
                slot = start(cancellationToken);
            }

            return slot;
        }
    }

    private async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        await _client.CreateTableIfNotExistsAsync(_table, cancellationToken);
        await _client.CreateTableIfNotExistsAsync(_dueTable, cancellationToken);
        await _client.CreateTableIfNotExistsAsync(_listTable, cancellationToken);
    }

    private static string ListTableOf(TableStoreOptions options) => options.ListTableName ?? options.TableName + "list";

    /// <summary>Builds the store without any I/O (tests pass their own transport).</summary>
    internal static TableSecretStore Create(TableStoreOptions options, TokenCredential? credential, ILogger logger, HttpPipelineTransport? transport = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        CheckTableName(options.TableName, SecretTableKey);
        CheckTableName(options.DueTableName, DueTableKey);
        CheckTableName(ListTableOf(options), ListTableKey);
        if (options.ListPageSize is < 1 or > 1000)
        {
            throw new ArgumentException($"{TableStoreOptions.SectionName}:ListPageSize must be between 1 and 1000.", nameof(options));
        }

        return new TableSecretStore(TableStorageClient.FromOptions(options, credential, logger, transport, time), options, logger, time);
    }

    public async Task<SecretRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var entity = await _client.GetEntityAsync(_table, SecretEntityMapper.PartitionKeyOf(name), P.MetaRowKey, cancellationToken);
        if (entity is null)
        {
            return null;
        }

        // The listed state at this ETag, so a write of a changed copy need not read it again.
        var record = SecretEntityMapper.FromMetaEntity(entity);
        record.StoreState = StateOnly(record);
        return record;
    }

    public async Task<StoredVersion?> GetVersionAsync(string name, string versionId, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var entity = await _client.GetEntityAsync(
            _table, SecretEntityMapper.PartitionKeyOf(name), SecretEntityMapper.VersionRowKey(versionId), cancellationToken);
        return entity is null ? null : SecretEntityMapper.FromVersionEntity(entity);
    }

    public async Task<IReadOnlyList<StoredVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var filter = $"PartitionKey eq {Quote(SecretEntityMapper.PartitionKeyOf(name))} and RowKey ge {Quote(P.VersionRowPrefix)} and RowKey lt {Quote(P.VersionRowEnd)}";
        var versions = new List<StoredVersion>();
        await foreach (var entity in _client.QueryAsync(_table, filter, VersionListSelect, pageSize: null, cancellationToken))
        {
            versions.Add(SecretEntityMapper.FromVersionEntity(entity));
        }

        return versions;
    }

    public async Task<bool> CreateAsync(SecretRecord record, IReadOnlyList<StoredVersion> versions, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(versions);
        // The metadata insert goes first: its 409 is the "already exists" answer. Versions are
        // upserts so that rows a crashed purge left behind cannot block the name.
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, SecretEntityMapper.ToMetaEntity(record)),
        };
        actions.AddRange(versions.Select(v => new TableTransactionAction(TableTransactionActionType.UpsertReplace, SecretEntityMapper.ToVersionEntity(record.Name, v))));
        CheckTransactionSize(actions.Count);

        // Listing index first, unconfirmed: a committed secret always has its rows (docs/listing.md).
        var intent = await WriteIntentAsync(null, record, cancellationToken);
        var result = await _client.SubmitTransactionAsync(_table, actions, cancellationToken);
        if (result.Succeeded)
        {
            record.ETag = result.ETags[0];
            record.StoreState = StateOnly(record);
            await FinishAsync(intent, record.ETag);
            return true;
        }

        if (result.FailedIndex == 0 && result.FailedStatus == 409)
        {
            // The name's own rows (name order) now carry this attempt's copy: put back the
            // existing secret's. Its other rows stay unconfirmed; readers drop them.
            await RestoreRowsAsync(record.Name, cancellationToken);
            return false;
        }

        throw _client.TransactionFailed("CreateSecret", result);
    }

    public async Task<bool> TryUpdateAsync(SecretRecord record, IReadOnlyList<StoredVersion> added, IReadOnlyList<string> removedVersionIds, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removedVersionIds);
        var etag = record.ETag ?? throw new ArgumentException("TryUpdateAsync needs a record read from the store (with its ETag).", nameof(record));

        // A version both removed and added is rewritten in place (re-wrapped under a new key):
        // one entity may appear only once in a transaction, and the upsert covers both.
        var addedIds = added.Select(v => v.VersionId).ToHashSet(StringComparer.Ordinal);
        var removals = removedVersionIds.Distinct(StringComparer.Ordinal).Where(id => !addedIds.Contains(id)).ToList();
        var partition = SecretEntityMapper.PartitionKeyOf(record.Name);

        var core = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, SecretEntityMapper.ToMetaEntity(record), new ETag(etag)),
        };
        core.AddRange(added.Select(v => new TableTransactionAction(TableTransactionActionType.UpsertReplace, SecretEntityMapper.ToVersionEntity(record.Name, v))));
        CheckTransactionSize(core.Count);

        // Removals ride along while they fit. Any beyond the limit are deleted after the commit:
        // by then the metadata row no longer names them, so until they go they are only garbage.
        var inBatch = removals.Take(TableStorageClient.MaxTransactionActions - core.Count).ToList();
        var later = removals.Skip(inBatch.Count).ToList();

        // Listing index: the new state's rows before the commit, the old state's after it. The
        // old state is what this store read at this ETag (kept on the record), else the row
        // itself; a stale one is a lost race, which the commit's ETag condition answers.
        var before = record.StoreState is SecretRecord { ETag: var known } loaded && known == etag
            ? loaded
            : await ReadStateAsync(record.Name, cancellationToken);
        if (before is null || before.ETag != etag)
        {
            return false;
        }

        var intent = await WriteIntentAsync(before, record, cancellationToken);
        while (true)
        {
            var actions = core.Concat(inBatch.Select(id => DeleteAction(partition, SecretEntityMapper.VersionRowKey(id)))).ToList();
            var result = await _client.SubmitTransactionAsync(_table, actions, cancellationToken);
            if (result.Succeeded)
            {
                record.ETag = result.ETags[0];
                record.StoreState = StateOnly(record);
                break;
            }

            if (result.FailedIndex == 0 && result.FailedStatus is 412 or 404)
            {
                // 412: someone else wrote first. 404: the secret was purged meanwhile.
                await RestoreRowsAsync(record.Name, cancellationToken);
                return false;
            }

            if (result.FailedIndex >= core.Count && result.FailedStatus == 404)
            {
                // A version row to remove is already gone: nothing to delete, drop it and retry.
                inBatch.RemoveAt(result.FailedIndex - core.Count);
                continue;
            }

            throw _client.TransactionFailed("UpdateSecret", result);
        }

        foreach (var id in later)
        {
            await _client.DeleteEntityAsync(_table, partition, SecretEntityMapper.VersionRowKey(id), "*", cancellationToken);
        }

        await FinishAsync(intent, record.ETag);
        return true;
    }

    /// <remarks>
    /// Two unconditional MERGEs of <c>LastAccessedDate</c>, run together. A row that is gone (404)
    /// is ignored; other failures propagate so the caller chooses whether a read fails with them.
    /// The metadata merge changes that row's ETag, so a writer holding the old one retries once.
    /// </remarks>
    public async Task TouchAsync(string name, string versionId, DateTimeOffset day, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var partition = SecretEntityMapper.PartitionKeyOf(name);
        var meta = new TableEntity(partition, P.MetaRowKey);
        meta.Set(P.LastAccessedDate, day);
        var version = new TableEntity(partition, SecretEntityMapper.VersionRowKey(versionId));
        version.Set(P.LastAccessedDate, day);

        // The LastAccessedDate order and the listed copies change at most once a day per secret
        // (the caller touches once a day): the same two steps as every other change.
        var current = await GetAsync(name, cancellationToken);
        IndexIntent? intent = null;
        if (current is not null && current.LastAccessedDate != day)
        {
            var after = current.Clone();
            after.CurrentValue = null;
            after.LastAccessedDate = day;
            intent = await WriteIntentAsync(current, after, cancellationToken);
        }

        var merged = _client.MergeEntityAsync(_table, meta, "*", cancellationToken);
        await Task.WhenAll(merged, _client.MergeEntityAsync(_table, version, "*", cancellationToken));
        if (intent is not null)
        {
            await FinishAsync(intent, (await merged).ETag);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var partition = SecretEntityMapper.PartitionKeyOf(name);

        // The listing rows are unconfirmed first and deleted after the secret's own rows: a
        // crash between leaves rows that readers check and drop.
        var state = await ReadStateAsync(name, cancellationToken);
        var marks = state is null ? [] : IndexRowIds(state).ToList();
        var etags = marks.Count == 0 ? [] : await SubmitByPartitionAsync([.. marks.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertMerge, UnconfirmedMark(id)))], cancellationToken);
        await DeleteRowsAsync(partition, cancellationToken);
        await FinishAsync(new IndexIntent([], [.. marks.Select(id => (id, etags.GetValueOrDefault(id)))]), null);
    }

    private async Task DeleteRowsAsync(string partition, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxDeleteRounds; round++)
        {
            var rowKeys = new List<string>();
            await foreach (var entity in _client.QueryAsync(_table, $"PartitionKey eq {Quote(partition)}", RowKeyOnly, pageSize: null, cancellationToken))
            {
                rowKeys.Add(entity.RowKey);
            }

            if (rowKeys.Count == 0)
            {
                return;
            }

            // The metadata row goes last, so an interrupted purge leaves a secret that still
            // exists (and is purged again), never versions without their metadata.
            var ordered = rowKeys.OrderBy(k => k == P.MetaRowKey).ToList();
            var interrupted = false;
            foreach (var chunk in ordered.Chunk(TableStorageClient.MaxTransactionActions))
            {
                var result = await _client.SubmitTransactionAsync(_table, [.. chunk.Select(k => DeleteAction(partition, k))], cancellationToken);
                if (!result.Succeeded)
                {
                    if (result.FailedStatus != 404)
                    {
                        throw _client.TransactionFailed("DeleteSecret", result);
                    }

                    // Someone deleted a row first (a concurrent purge): look again.
                    interrupted = true;
                    break;
                }
            }

            if (!interrupted)
            {
                return;
            }
        }

        throw _client.Contended("DeleteSecret");
    }

    public async IAsyncEnumerable<SecretRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var filter = $"RowKey eq {Quote(P.MetaRowKey)}";
        await foreach (var entity in _client.QueryAsync(_table, filter, SecretEntityMapper.ListSelect, _pageSize, cancellationToken))
        {
            yield return SecretEntityMapper.FromMetaEntity(entity);
        }
    }

    private static TableTransactionAction DeleteAction(string partition, string rowKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), ETag.All);

    private static void CheckTransactionSize(int count)
    {
        if (count > TableStorageClient.MaxTransactionActions)
        {
            throw new ArgumentException($"One change to a secret can write at most {TableStorageClient.MaxTransactionActions} rows.");
        }
    }

    /// <summary>An OData string literal: single quotes, inner quotes doubled.</summary>
    internal static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void CheckTableName(string name, string key)
    {
        // Table names: 3-63 alphanumerics starting with a letter; "tables" is reserved.
        if (name is null || !TableNamePattern().IsMatch(name) || name.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{TableStoreOptions.SectionName}:{key} must be 3-63 letters and digits starting with a letter.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
