using Azure.Data.Tables;
using FuncSecrets.Core.Storage;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// The timed repair sweep of the listing index (<see cref="IListIndexSweep"/>, run by the purge
/// timer): the unconfirmed rows of each state partition, settled as a reader would settle them.
/// </summary>
public sealed partial class TableSecretStore : IListIndexSweep
{
    /// <summary>
    /// Queries each state partition for unconfirmed rows (<c>Confirmed eq false</c>: Table Storage
    /// filters within the partition and returns only those), stops after
    /// <paramref name="maxRows"/>, reads the metadata rows of their secrets in parallel, and
    /// settles the rows older than <see cref="StaleRowGrace"/>: a row its secret maps to is
    /// confirmed with the metadata's copy, any other (secret gone, or moved on) is deleted, each
    /// conditional on the row's ETag. Younger rows belong to writes in flight and are left alone.
    /// </summary>
    public async Task<int> SweepListIndexAsync(int maxRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        await TablesReadyAsync(cancellationToken);
        var stale = new List<TableEntity>();
        var examined = 0;
        foreach (var deleted in (bool[])[false, true])
        {
            if (examined >= maxRows)
            {
                break;
            }

            var filter = $"PartitionKey eq {Quote(ListIndexKeys.Partition(deleted))} and {Confirmed} eq false";
            await foreach (var row in _client.QueryAsync(_listTable, filter, select: null, MaxPageSize, cancellationToken))
            {
                if (IsStale(row))
                {
                    stale.Add(row);
                }

                if (++examined >= maxRows)
                {
                    break;
                }
            }
        }

        // A reader's page at a time: 100 metadata reads in parallel, then their rows settled.
        foreach (var chunk in stale.Chunk(TableStorageClient.MaxTransactionActions))
        {
            var metas = await ReadMetasAsync(chunk.Select(r => r.GetString(P.Name)).OfType<string>(), cancellationToken);
            await Task.WhenAll(chunk.Select(row =>
            {
                var current = row.GetString(P.Name) is { } name ? metas.GetValueOrDefault(name) : null;
                return SettleAsync(row, current, current is not null && IndexRowIds(current).Contains(RowId(row)), cancellationToken);
            }));
        }

        TableLog.ListIndexSwept(_logger, examined, stale.Count);
        return stale.Count;
    }
}
