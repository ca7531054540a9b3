using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// <see cref="ISecretStore.ListOrderedAsync"/> on the listing index: ranged row-key queries
/// from the position (one per state partition and name prefix, merged in row-key order), read in
/// chunks of the caller's page size, each row checked against its secret's metadata row (point
/// reads, in parallel) before it is yielded. Name prefixes in a date order use the hints on the
/// name rows instead (docs/listing.md).
/// </summary>
public sealed partial class TableSecretStore
{
    public async IAsyncEnumerable<SecretRecord> ListOrderedAsync(SecretListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await ListIndexReadyAsync(cancellationToken);
        var chunk = Math.Clamp(query.PageHint, 1, MaxPageSize);
        if (query.NamePrefixes is not null && query.SortBy != SecretSortKey.Name)
        {
            await foreach (var record in ListByHintsAsync(query, chunk, cancellationToken))
            {
                yield return record;
            }

            yield break;
        }

        var yielded = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<TableEntity>(chunk);
        await foreach (var row in MergedRowsAsync(query, chunk, cancellationToken))
        {
            batch.Add(row);
            if (batch.Count < chunk)
            {
                continue;
            }

            foreach (var record in await VerifyAsync(query, batch, yielded, cancellationToken))
            {
                yield return record;
            }

            batch.Clear();
        }

        foreach (var record in await VerifyAsync(query, batch, yielded, cancellationToken))
        {
            yield return record;
        }
    }

    /// <summary>The index rows after the position, in row-key order, over every partition and range the query reads.</summary>
    private async IAsyncEnumerable<TableEntity> MergedRowsAsync(SecretListQuery query, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = query.After is { } position ? ListIndexKeys.RowKey(query.SortBy, query.Descending, position) : null;
        var filters = new List<string>();
        foreach (var deleted in States(query))
        {
            var partition = $"PartitionKey eq {Quote(ListIndexKeys.Partition(query.SortBy, query.Descending, deleted))}";
            var from = after is null ? partition : $"{partition} and RowKey gt {Quote(after)}";
            if (query.NamePrefixes is null)
            {
                filters.Add(from);
                continue;
            }

            foreach (var prefix in query.NamePrefixes.Distinct(StringComparer.Ordinal))
            {
                var (low, high) = ListIndexKeys.PrefixRange(prefix, query.Descending);
                filters.Add($"{from} and RowKey ge {Quote(low)} and RowKey le {Quote(high)}");
            }
        }

        var streams = filters.Select(f => _client.QueryAsync(_listTable, f, IndexSelect, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken)).ToList();
        try
        {
            var live = new List<IAsyncEnumerator<TableEntity>>();
            foreach (var stream in streams)
            {
                if (await stream.MoveNextAsync())
                {
                    live.Add(stream);
                }
            }

            var seen = new HashSet<(string, string)>();
            while (live.Count > 0)
            {
                var next = live.MinBy(s => s.Current.RowKey, StringComparer.Ordinal)!;
                if (seen.Add((next.Current.PartitionKey, next.Current.RowKey)))
                {
                    yield return next.Current;
                }

                if (!await next.MoveNextAsync())
                {
                    live.Remove(next);
                }
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The rows whose secret maps to exactly them, as records in row order; the others are
    /// hints left by a crash or a lost race, skipped here and dropped once old enough.
    /// </summary>
    private async Task<List<SecretRecord>> VerifyAsync(SecretListQuery query, List<TableEntity> rows, HashSet<string> yielded, CancellationToken cancellationToken)
    {
        var metas = await ReadMetasAsync(rows.Select(r => r.GetString(P.Name)).OfType<string>(), cancellationToken);
        var records = new List<SecretRecord>(rows.Count);
        var stale = new List<TableEntity>();
        foreach (var row in rows)
        {
            var name = row.GetString(P.Name);
            var meta = name is null ? null : metas.GetValueOrDefault(name);
            if (meta is null || !Maps(meta, query, row))
            {
                stale.Add(row);
                continue;
            }

            if ((query.IncludeDeleted || !meta.IsDeleted) && SecretListKeys.MatchesPrefix(meta.Name, query.NamePrefixes) && yielded.Add(meta.Name))
            {
                records.Add(meta);
            }
        }

        await Task.WhenAll(stale.Select(row => DropStaleAsync(row, cancellationToken)));
        return records;
    }

    private static bool Maps(SecretRecord meta, SecretListQuery query, TableEntity row) =>
        row.PartitionKey == ListIndexKeys.Partition(query.SortBy, query.Descending, meta.IsDeleted)
        && row.RowKey == ListIndexKeys.RowKey(query.SortBy, query.Descending, SecretListKeys.PositionOf(meta, query.SortBy));

    /// <summary>
    /// Name prefixes in a date order: the matching names come from the name rows' ranges (cost
    /// follows the matches), ordered by the date hints those rows carry, then checked against the
    /// metadata rows chunk by chunk. A secret whose hint is behind its metadata (a write in
    /// flight or interrupted) is put back at its true place if that is still ahead, and its rows
    /// are rewritten.
    /// </summary>
    private async IAsyncEnumerable<SecretRecord> ListByHintsAsync(SecretListQuery query, int chunk, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new List<SecretListPosition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deleted in States(query))
        {
            var partition = Quote(ListIndexKeys.Partition(SecretSortKey.Name, descending: false, deleted));
            foreach (var prefix in query.NamePrefixes!.Distinct(StringComparer.Ordinal))
            {
                var (low, high) = ListIndexKeys.PrefixRange(prefix, descending: false);
                var filter = $"PartitionKey eq {partition} and RowKey ge {Quote(low)} and RowKey le {Quote(high)}";
                await foreach (var row in _client.QueryAsync(_listTable, filter, IndexSelect, MaxPageSize, cancellationToken))
                {
                    if (row.GetString(P.Name) is { } name && names.Add(name))
                    {
                        pending.Add(new SecretListPosition(row.GetString(HintOf(query.SortBy)) ?? new string('0', SecretListKeys.TicksDigits), name));
                    }
                }
            }
        }

        int InOrder(SecretListPosition a, SecretListPosition b) => query.Descending ? SecretListKeys.Compare(b, a) : SecretListKeys.Compare(a, b);
        pending.Sort(InOrder);
        var cursor = query.After;
        pending.RemoveAll(p => cursor is { } c && InOrder(p, c) <= 0);
        var queue = new Queue<SecretListPosition>(pending);
        while (queue.Count > 0)
        {
            var taken = new List<SecretListPosition>();
            while (taken.Count < chunk && queue.TryDequeue(out var next))
            {
                taken.Add(next);
            }

            var end = taken[^1];
            var metas = await ReadMetasAsync(taken.Select(p => p.Name), cancellationToken);
            var ready = new List<(SecretListPosition Position, SecretRecord Meta)>();
            var later = new List<SecretListPosition>();
            foreach (var hinted in taken)
            {
                if (metas.GetValueOrDefault(hinted.Name) is not { } meta || (!query.IncludeDeleted && meta.IsDeleted))
                {
                    continue;
                }

                var actual = SecretListKeys.PositionOf(meta, query.SortBy);
                if (actual != hinted)
                {
                    await WriteNewRowsAsync(null, meta, cancellationToken);
                }

                if (cursor is { } c && InOrder(actual, c) <= 0)
                {
                    continue;
                }

                if (InOrder(actual, end) > 0)
                {
                    later.Add(actual);
                }
                else
                {
                    ready.Add((actual, meta));
                }
            }

            if (later.Count > 0)
            {
                queue = new Queue<SecretListPosition>(queue.Concat(later).Order(Comparer<SecretListPosition>.Create(InOrder)));
            }

            foreach (var (_, meta) in ready.OrderBy(r => r.Position, Comparer<SecretListPosition>.Create(InOrder)))
            {
                yield return meta;
            }

            cursor = end;
        }
    }

    private static string HintOf(SecretSortKey sortBy) => sortBy switch
    {
        SecretSortKey.LastAccessedDate => HintAccessed,
        SecretSortKey.LastChangedDate => HintChanged,
        _ => HintCreated,
    };

    private static bool[] States(SecretListQuery query) => query.IncludeDeleted ? [false, true] : [false];

    /// <summary>The listed fields of several secrets' metadata rows, read in parallel; absent ones are missing.</summary>
    private async Task<Dictionary<string, SecretRecord>> ReadMetasAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var reads = names.Distinct(StringComparer.Ordinal).Select(async name =>
        {
            var entity = await _client.GetEntityAsync(_table, SecretEntityMapper.PartitionKeyOf(name), P.MetaRowKey, cancellationToken, SecretEntityMapper.ListSelect);
            return entity is null ? null : SecretEntityMapper.FromMetaEntity(entity);
        });
        var records = await Task.WhenAll(reads);
        return records.OfType<SecretRecord>().ToDictionary(r => r.Name, StringComparer.Ordinal);
    }
}
