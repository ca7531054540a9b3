using System.Globalization;
using System.Text.Json;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// The Table service's JSON entity format (OData v3 JSON light). Types JSON cannot carry are
/// announced by a <c>Name@odata.type</c> annotation beside the value: Edm.Binary as base64,
/// Edm.Int64 as a decimal string, Edm.DateTime as ISO 8601 UTC.
/// </summary>
internal static class TableEntityJson
{
    public const string PartitionKey = "PartitionKey";
    public const string RowKey = "RowKey";

    private const string TypeSuffix = "@odata.type";
    private const string ETagProperty = "odata.etag";
    private const string Timestamp = "Timestamp";
    private const string EdmBinary = "Edm.Binary";
    private const string EdmDateTime = "Edm.DateTime";
    private const string EdmInt64 = "Edm.Int64";
    private const string EdmInt32 = "Edm.Int32";
    private const string EdmDouble = "Edm.Double";
    private const string EdmBoolean = "Edm.Boolean";

    /// <summary>Seven fractional digits: the Table service keeps DateTime to the tick.</summary>
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString(PartitionKey, entity.PartitionKey);
        writer.WriteString(RowKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            switch (value)
            {
                case string text:
                    writer.WriteString(name, text);
                    break;
                case byte[] bytes:
                    writer.WriteString(name + TypeSuffix, EdmBinary);
                    writer.WriteBase64String(name, bytes);
                    break;
                case DateTimeOffset date:
                    writer.WriteString(name + TypeSuffix, EdmDateTime);
                    writer.WriteString(name, date.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture));
                    break;
                case long number:
                    writer.WriteString(name + TypeSuffix, EdmInt64);
                    writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                    break;
                case int number:
                    writer.WriteNumber(name, number);
                    break;
                case double number:
                    writer.WriteString(name + TypeSuffix, EdmDouble);
                    writer.WriteNumber(name, number);
                    break;
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                default:
                    throw new NotSupportedException($"Table property '{name}' has an unsupported type {value.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one entity object (a GET response or an element of a query's <c>value</c>).</summary>
    public static TableEntity Read(JsonElement element)
    {
        // A $select without the keys returns entities without them.
        var entity = new TableEntity(
            element.TryGetProperty(PartitionKey, out var partitionKey) ? partitionKey.GetString() ?? string.Empty : string.Empty,
            element.TryGetProperty(RowKey, out var rowKey) ? rowKey.GetString() ?? string.Empty : string.Empty);
        if (element.TryGetProperty(ETagProperty, out var etag))
        {
            entity.ETag = etag.GetString();
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name is PartitionKey or RowKey or Timestamp
                || name.StartsWith("odata.", StringComparison.Ordinal)
                || name.Contains('@', StringComparison.Ordinal)
                || property.Value.ValueKind == JsonValueKind.Null)
            {
                // A $select of a property the entity lacks answers null: treat it as absent.
                continue;
            }

            var type = element.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            entity.Properties[name] = ReadValue(property.Value, type);
        }

        return entity;
    }

    private static object ReadValue(JsonElement value, string? type) => type switch
    {
        EdmBinary => value.GetBytesFromBase64(),
        EdmDateTime => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        EdmInt64 => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        EdmInt32 => value.GetInt32(),
        EdmDouble => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble(),
        EdmBoolean => value.GetBoolean(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var small) => small,
            JsonValueKind.Number => value.GetDouble(),
            _ => value.GetRawText(),
        },
    };
}
