using System.Net.Http.Headers;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using FuncSecrets.Bench.Infra;

namespace FuncSecrets.Bench.Load;

/// <summary>
/// Table calls to Azurite that bypass the service's storage code: seeding through Azure.Data.Tables,
/// and the storage floor as a plain HTTP GET authorized by a table SAS the SDK generated, so the
/// floor costs Azurite's work and no signing at all. A point read of a secret's metadata row is
/// the floor: the one round trip a GetSecretValue of AWSCURRENT costs.
/// </summary>
public sealed class RawTableClient
{
    private static readonly MediaTypeWithQualityHeaderValue MinimalMetadata = MediaTypeWithQualityHeaderValue.Parse("application/json;odata=minimalmetadata");

    private readonly TableClient _table;
    private readonly Uri _sasTable;

    public RawTableClient(AzuriteProcess azurite, string table)
    {
        _table = new TableServiceClient(azurite.ConnectionString).GetTableClient(table);
        _sasTable = _table.GenerateSasUri(TableSasPermissions.Read, DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A GET of one entity, authorized by the table SAS in its query string.</summary>
    public HttpRequestMessage PointRead(string partitionKey, string rowKey)
    {
        var uri = new UriBuilder(_sasTable);
        uri.Path = uri.Path.TrimEnd('/') + $"(PartitionKey='{Escape(partitionKey)}',RowKey='{Escape(rowKey)}')";
        var message = new HttpRequestMessage(HttpMethod.Get, uri.Uri);
        message.Headers.Accept.Add(MinimalMetadata);
        return message;
    }

    /// <summary>Partition key → the value of <paramref name="property"/> of every entity with the given row key.</summary>
    public async Task<Dictionary<string, string>> FindPartitionsAsync(string rowKey, string property)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {rowKey}"), select: ["PartitionKey", property]))
        {
            if (entity.GetString(property) is { } value)
            {
                found[entity.PartitionKey] = value;
            }
        }

        return found;
    }

    /// <summary>An entity as the service stored it, ready to insert again under other keys; null when there is none.</summary>
    public async Task<TableEntity?> TryReadForCopyAsync(string partitionKey, string rowKey)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey);
        if (!found.HasValue)
        {
            return null;
        }

        var entity = found.Value!;
        entity.Remove("Timestamp");
        entity.Remove("odata.etag");
        entity.ETag = default;
        return entity;
    }

    /// <summary>Inserts one entity (a plain Insert Entity: cheaper for Azurite than a one-row transaction).</summary>
    public async Task InsertAsync(TableEntity entity) => await _table.AddEntityAsync(entity);

    /// <summary>Inserts up to 100 entities of one partition in one entity-group transaction.</summary>
    public async Task InsertBatchAsync(IReadOnlyList<TableEntity> entities) =>
        await _table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));

    private static string Escape(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
