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
            var partition = $"PartitionKey eq {Quote(ListIndexKeys.Partition(deleted))} and RowKey lt {Quote(ListIndexKeys.SectionEnd(query.SortBy, query.Descending))}";
            var from = after is null
                ? $"{partition} and RowKey ge {Quote(ListIndexKeys.Section(query.SortBy, query.Descending))}"
                : $"{partition} and RowKey gt {Quote(after)}";
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

        var streams = filters.Select(f => _client.QueryAsync(_listTable, f, select: null, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken)).ToList();
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
    /// The rows that show their secret where it is, as records in row order: a confirmed row as
    /// it is, an unconfirmed one only if the metadata row (read here, in parallel) maps to
    /// exactly it, and then from the metadata. The others are skipped.
    /// </summary>
    private async Task<List<SecretRecord>> VerifyAsync(SecretListQuery query, List<TableEntity> rows, HashSet<string> yielded, CancellationToken cancellationToken)
    {
        var truths = await ResolveAsync(rows, cancellationToken);
        var records = new List<SecretRecord>(rows.Count);
        var settles = new List<Task>();
        foreach (var row in rows)
        {
            var truth = truths[RowId(row)];
            var matches = truth is not null && Maps(truth, query, row);
            if (row.GetBoolean(Confirmed) != true)
            {
                settles.Add(SettleAsync(row, truth, matches, cancellationToken));
            }

            if (matches && (query.IncludeDeleted || !truth!.IsDeleted) && SecretListKeys.MatchesPrefix(truth!.Name, query.NamePrefixes) && yielded.Add(truth.Name))
            {
                records.Add(truth);
            }
        }

        await Task.WhenAll(settles);
        return records;
    }

    /// <summary>What each row's secret is now: a confirmed row's copy, else its metadata row (null when gone).</summary>
    private async Task<Dictionary<(string, string), SecretRecord?>> ResolveAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var unconfirmed = rows.Where(r => r.GetBoolean(Confirmed) != true).Select(r => r.GetString(P.Name)).OfType<string>();
        var metas = await ReadMetasAsync(unconfirmed, cancellationToken);
        return rows.ToDictionary(
            RowId,
            row => Trusted(row) ?? (row.GetString(P.Name) is { } name ? metas.GetValueOrDefault(name) : null));
    }

    private static bool Maps(SecretRecord meta, SecretListQuery query, TableEntity row) =>
        row.PartitionKey == ListIndexKeys.Partition(meta.IsDeleted)
        && row.RowKey == ListIndexKeys.RowKey(query.SortBy, query.Descending, SecretListKeys.PositionOf(meta, query.SortBy));

    /// <summary>
    /// Name prefixes in a date order: the matching names come from the name rows' ranges (cost
    /// follows the matches), ordered by the dates their copies carry, then resolved chunk by
    /// chunk. A secret whose unconfirmed copy is behind its metadata (a write in flight or
    /// interrupted) is put back at its true place if that is still ahead.
    /// </summary>
    private async IAsyncEnumerable<SecretRecord> ListByHintsAsync(SecretListQuery query, int chunk, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new List<(SecretListPosition Position, TableEntity Row)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deleted in States(query))
        {
            var partition = Quote(ListIndexKeys.Partition(deleted));
            foreach (var prefix in query.NamePrefixes!.Distinct(StringComparer.Ordinal))
            {
                var (low, high) = ListIndexKeys.PrefixRange(prefix, descending: false);
                var filter = $"PartitionKey eq {partition} and RowKey ge {Quote(low)} and RowKey le {Quote(high)}";
                await foreach (var row in _client.QueryAsync(_listTable, filter, select: null, MaxPageSize, cancellationToken))
                {
                    if (row.GetString(P.Name) is { } name && names.Add(name))
                    {
                        pending.Add((SecretListKeys.PositionOf(SecretEntityMapper.FromMetaEntity(row), query.SortBy), row));
                    }
                }
            }
        }

        int InOrder(SecretListPosition a, SecretListPosition b) => query.Descending ? SecretListKeys.Compare(b, a) : SecretListKeys.Compare(a, b);
        var byPosition = Comparer<(SecretListPosition Position, TableEntity Row)>.Create((a, b) => InOrder(a.Position, b.Position));
        pending.Sort(byPosition);
        var cursor = query.After;
        pending.RemoveAll(p => cursor is { } c && InOrder(p.Position, c) <= 0);
        var queue = new Queue<(SecretListPosition Position, TableEntity Row)>(pending);
        while (queue.Count > 0)
        {
            var taken = new List<(SecretListPosition Position, TableEntity Row)>();
            while (taken.Count < chunk && queue.TryDequeue(out var next))
            {
                taken.Add(next);
            }

            var end = taken[^1].Position;
            var truths = await ResolveAsync([.. taken.Select(t => t.Row)], cancellationToken);
            var ready = new List<(SecretListPosition Position, SecretRecord Record)>();
            var later = new List<(SecretListPosition Position, TableEntity Row)>();
            foreach (var (hinted, row) in taken)
            {
                var truth = truths[RowId(row)];
                if (row.GetBoolean(Confirmed) != true)
                {
                    await SettleAsync(row, truth, truth is not null && row.PartitionKey == ListIndexKeys.Partition(truth.IsDeleted), cancellationToken);
                }

                if (truth is null || (!query.IncludeDeleted && truth.IsDeleted))
                {
                    continue;
                }

                var actual = SecretListKeys.PositionOf(truth, query.SortBy);
                if (cursor is { } c && InOrder(actual, c) <= 0)
                {
                    continue;
                }

                if (InOrder(actual, end) > 0)
                {
                    // Its copy was behind: check it again where it really is.
                    later.Add((actual, TrustedRow(truth)));
                }
                else
                {
                    ready.Add((actual, truth));
                }
            }

            if (later.Count > 0)
            {
                queue = new Queue<(SecretListPosition Position, TableEntity Row)>(queue.Concat(later).Order(byPosition));
            }

            foreach (var (_, record) in ready.OrderBy(r => r.Position, Comparer<SecretListPosition>.Create(InOrder)))
            {
                yield return record;
            }

            cursor = end;
        }
    }

    /// <summary>An in-memory confirmed copy of a record already read from its metadata row.</summary>
    private TableEntity TrustedRow(SecretRecord record) =>
        IndexRows(record, confirmedAs: record.ETag ?? string.Empty).First(r => r.RowKey.StartsWith(ListIndexKeys.Section(SecretSortKey.Name, descending: false), StringComparison.Ordinal));

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
