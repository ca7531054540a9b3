using System.Globalization;
using Azure.Data.Tables;
using FuncSecrets.Core.Storage;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// <see cref="IDueIndex"/>, the due-time indexes: in the due table, partition = index name ("purge", "rotate"), row key =
/// due time as 19-digit UTC ticks + "_" + escaped secret name. Fixed-width ticks sort as numbers,
/// so "everything due by T" is one range query that never reads entries due later.
/// </summary>
public sealed partial class TableSecretStore
{
    private const int TicksDigits = 19;
    private const int MaxPageSize = 1000;

    private static readonly string[] DueListSelect = [P.PartitionKey, P.RowKey];

    public async Task AddDueAsync(string index, DateTimeOffset due, string name, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var entity = new TableEntity(TableKeyEscaper.Escape(index), DueRowKey(due, name));
        entity.Set(P.Name, name);
        entity.Set(P.Due, due);
        await _client.UpsertEntityAsync(_dueTable, entity, cancellationToken);
    }

    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(string index, DateTimeOffset until, int max, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        var entries = new List<DueEntry>();
        if (max <= 0)
        {
            return entries;
        }

        // '~' sorts after '_' and every digit, so the bound takes all entries due at exactly `until`.
        var filter = $"PartitionKey eq {Quote(TableKeyEscaper.Escape(index))} and RowKey le {Quote(Ticks(until) + "~")}";
        await foreach (var entity in _client.QueryAsync(_dueTable, filter, DueListSelect, Math.Min(max, MaxPageSize), cancellationToken))
        {
            entries.Add(ParseDueRow(index, entity.RowKey));
            if (entries.Count == max)
            {
                break;
            }
        }

        return entries;
    }

    public async Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        await TablesReadyAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(entry);
        // NotFound is fine: removal is idempotent.
        await _client.DeleteEntityAsync(_dueTable, TableKeyEscaper.Escape(entry.Index), DueRowKey(entry.Due, entry.Name), "*", cancellationToken);
    }

    internal static string DueRowKey(DateTimeOffset due, string name) => Ticks(due) + "_" + TableKeyEscaper.Escape(name);

    internal static DueEntry ParseDueRow(string index, string rowKey)
    {
        if (rowKey.Length <= TicksDigits || rowKey[TicksDigits] != '_'
            || !long.TryParse(rowKey.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new InvalidDataException("A due-index row key is malformed.");
        }

        return new DueEntry(index, new DateTimeOffset(ticks, TimeSpan.Zero), TableKeyEscaper.Unescape(rowKey[(TicksDigits + 1)..]));
    }

    private static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
