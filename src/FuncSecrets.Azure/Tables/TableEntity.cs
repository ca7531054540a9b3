using System.Globalization;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// One Table Storage entity: keys, ETag and typed properties. Values are <see cref="string"/>,
/// byte arrays (Edm.Binary), <see cref="DateTimeOffset"/> (Edm.DateTime),
/// <see cref="bool"/>, <see cref="int"/>, <see cref="long"/> (Edm.Int64) or <see cref="double"/>.
/// The getters also accept the untyped JSON forms (base64, ISO 8601 and numeric strings), so an
/// entity read without type annotations reads the same.
/// </summary>
internal sealed class TableEntity
{
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    /// <summary>The ETag the entity was read with; null for an entity built locally.</summary>
    public string? ETag { get; set; }

    public Dictionary<string, object> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets a property; null leaves it out (a replace then removes it from storage).</summary>
    public void Set(string name, object? value)
    {
        if (value is null)
        {
            Properties.Remove(name);
        }
        else
        {
            Properties[name] = value;
        }
    }

    public string? GetString(string name) => Properties.TryGetValue(name, out var value) ? value as string : null;

    public byte[]? GetBinary(string name) => Properties.TryGetValue(name, out var value)
        ? value switch
        {
            byte[] bytes => bytes,
            string base64 => Convert.FromBase64String(base64),
            _ => null,
        }
        : null;

    public DateTimeOffset? GetDateTime(string name) => Properties.TryGetValue(name, out var value)
        ? value switch
        {
            DateTimeOffset date => date,
            string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => null,
        }
        : null;

    public bool? GetBoolean(string name) => Properties.TryGetValue(name, out var value) && value is bool flag ? flag : null;

    public long? GetInt64(string name) => Properties.TryGetValue(name, out var value)
        ? value switch
        {
            long number => number,
            int number => number,
            string text => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ => null,
        }
        : null;
}
