using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;

namespace FuncSecrets.TestSupport.Tables;

/// <summary>
/// One entity as stored: its keys, its properties written out as JSON (strings as they are,
/// binary properties as base64, as on the wire) and its binary properties decoded.
/// </summary>
public sealed record RawEntity(string Table, string PartitionKey, string RowKey, string Json, IReadOnlyList<byte[]> Binaries);

/// <summary>
/// Reads entities with Azure.Data.Tables alone, without the service's storage code (no mapper, no
/// key escaping), so checks see what is really stored.
/// </summary>
public sealed class RawTables(string connectionString)
{
    private readonly TableServiceClient _service = new(connectionString);

    /// <summary>Every entity of <paramref name="table"/> (none when the table does not exist).</summary>
    public async Task<IReadOnlyList<RawEntity>> ScanAsync(string table)
    {
        var entities = new List<RawEntity>();
        try
        {
            await foreach (var entity in _service.GetTableClient(table).QueryAsync<TableEntity>())
            {
                entities.Add(ToRaw(table, entity));
            }
        }
        catch (global::Azure.RequestFailedException error) when (error.Status == 404)
        {
            // The table was never created.
        }

        return entities;
    }

    /// <summary>Every entity in every table of the account.</summary>
    public async Task<IReadOnlyList<RawEntity>> ScanAllAsync()
    {
        var entities = new List<RawEntity>();
        await foreach (var table in _service.QueryAsync())
        {
            entities.AddRange(await ScanAsync(table.Name));
        }

        return entities;
    }

    private static RawEntity ToRaw(string table, TableEntity entity)
    {
        var binaries = new List<byte[]>();
        using var buffer = new MemoryStream();
        // Relaxed escaping: the text reads as stored, so a plaintext search finds what is there.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in entity.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                switch (value)
                {
                    case null:
                        writer.WriteNull(name);
                        break;
                    case byte[] bytes:
                        binaries.Add(bytes);
                        writer.WriteBase64String(name, bytes);
                        break;
                    case BinaryData data:
                        binaries.Add(data.ToArray());
                        writer.WriteBase64String(name, data.ToArray());
                        break;
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case IFormattable formattable:
                        writer.WriteString(name, formattable.ToString(null, CultureInfo.InvariantCulture));
                        break;
                    default:
                        writer.WriteString(name, value.ToString());
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return new RawEntity(table, entity.PartitionKey, entity.RowKey, System.Text.Encoding.UTF8.GetString(buffer.ToArray()), binaries);
    }
}
