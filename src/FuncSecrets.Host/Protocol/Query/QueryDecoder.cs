using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// The one Query decoder: turns <c>Name=value</c> pairs into the JSON document the JSON 1.1 door
/// would have received, walking the operation's request shape, then hands that document to
/// <see cref="JsonFrontDoor.Decode"/>. Both doors therefore bind and validate requests with the
/// same source-generated metadata and the same handler checks.
/// </summary>
/// <remarks>
/// The Query conventions (botocore <c>serialize.QuerySerializer</c>, the AWS Query protocol spec):
/// nested members join with dots (<c>RotationRules.AutomaticallyAfterDays</c>); list items are
/// <c>Name.member.N</c> from 1, and an empty list is <c>Name=</c>; map entries are
/// <c>Name.entry.N.key</c> / <c>Name.entry.N.value</c>; booleans are <c>true</c>/<c>false</c>;
/// timestamps ISO 8601; blobs base64. Parameters the shape does not name are ignored, as the JSON
/// door ignores unknown members. Messages name parameters but never echo a value: it may be secret.
/// </remarks>
public static class QueryDecoder
{
    private const string ListItem = "member";
    private const string MapEntry = "entry";
    private const string MapKey = "key";
    private const string MapValue = "value";

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The operation's typed request, decoded and validated exactly as the JSON door does.</summary>
    public static object Decode(QueryParameters parameters, OperationEntry operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return JsonFrontDoor.Decode(ToJson(parameters, operation.RequestInfo), operation);
    }

    /// <summary>The JSON 1.1 body equivalent to the Query parameters, for the given request shape.</summary>
    public static byte[] ToJson(QueryParameters parameters, JsonTypeInfo requestShape)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(requestShape);
        var root = QueryNode.Build(parameters.Pairs);
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            WriteStructure(writer, root, WireShape.Of(requestShape), string.Empty);
        }
        catch (ArgumentException)
        {
            // Utf8JsonWriter refuses text that is not valid UTF-16; the URL decoder should never
            // produce any, but a 4xx is the right answer if it ever does.
            throw AwsErrors.QueryParameterInvalid("A parameter value is not valid text.");
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, QueryNode node, WireShape shape, string path)
    {
        switch (shape.Kind)
        {
            case WireKind.Structure:
                WriteStructure(writer, node, shape, path);
                break;
            case WireKind.List:
                WriteList(writer, node, shape, path);
                break;
            case WireKind.Map:
                WriteMap(writer, node, shape, path);
                break;
            default:
                WriteScalar(writer, ScalarOf(node, path), shape, path);
                break;
        }
    }

    private static void WriteStructure(Utf8JsonWriter writer, QueryNode node, WireShape shape, string path)
    {
        // "Name=" with nothing under it is an empty structure; a value in its place is a mistake.
        if (node.Values.Count > 1 || (node.Values.Count == 1 && node.Values[0].Length > 0))
        {
            throw AwsErrors.QueryParameterInvalid($"The parameter {path} is a structure: send its members as {path}.<Member>.");
        }

        writer.WriteStartObject();
        foreach (var property in shape.Info!.Properties)
        {
            if (node.Child(property.Name) is { } child)
            {
                writer.WritePropertyName(property.Name);
                Write(writer, child, WireShape.Of(property.PropertyType, shape.Info.Options), Join(path, property.Name));
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, QueryNode node, WireShape shape, string path)
    {
        var items = Indexed(node, ListItem, path);
        var element = shape.Element;
        writer.WriteStartArray();
        foreach (var (index, item) in items)
        {
            Write(writer, item, element, $"{path}.{ListItem}.{index}");
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, QueryNode node, WireShape shape, string path)
    {
        var entries = Indexed(node, MapEntry, path);
        var valueShape = shape.Element;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject();
        foreach (var (index, entry) in entries)
        {
            var entryPath = $"{path}.{MapEntry}.{index}";
            var keyNode = entry.Child(MapKey) ?? throw AwsErrors.QueryParameterInvalid($"The map entry {entryPath} has no {entryPath}.{MapKey}.");
            var key = ScalarOf(keyNode, $"{entryPath}.{MapKey}");
            if (!seen.Add(key))
            {
                throw AwsErrors.QueryParameterInvalid($"The map {path} has the same key twice.");
            }

            writer.WritePropertyName(key);
            if (entry.Child(MapValue) is { } value)
            {
                Write(writer, value, valueShape, $"{entryPath}.{MapValue}");
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The items of a list (<c>member.N</c>) or map (<c>entry.N</c>) in index order. Indexes are
    /// positive decimal numbers without leading zeros, so <c>1</c> and <c>01</c> cannot both name
    /// one item; gaps are allowed. <c>Name=</c> alone is the empty list botocore sends.
    /// </summary>
    private static List<(int Index, QueryNode Item)> Indexed(QueryNode node, string itemName, string path)
    {
        var items = new List<(int, QueryNode)>();
        if (node.Values.Count > 1 || (node.Values.Count == 1 && node.Values[0].Length > 0))
        {
            throw AwsErrors.QueryParameterInvalid($"The parameter {path} is a list: send its items as {path}.{itemName}.1, {path}.{itemName}.2, ...");
        }

        foreach (var (name, child) in node.Children)
        {
            if (!string.Equals(name, itemName, StringComparison.Ordinal))
            {
                throw AwsErrors.QueryParameterInvalid($"The parameter {Join(path, name)} is not valid: the items of {path} are {path}.{itemName}.N.");
            }

            if (child.Values.Count > 0)
            {
                throw AwsErrors.QueryParameterInvalid($"The parameter {path}.{itemName} needs an index: {path}.{itemName}.1, {path}.{itemName}.2, ...");
            }

            foreach (var (key, item) in child.Children)
            {
                if (key.Length == 0 || key[0] == '0' || !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw AwsErrors.QueryParameterInvalid($"The parameter {path}.{itemName}.{Shown(key)} has an invalid index: indexes are 1, 2, 3, ...");
                }

                items.Add((index, item));
            }
        }

        items.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return items;
    }

    private static string ScalarOf(QueryNode node, string path)
    {
        if (node.Children.Count > 0)
        {
            throw AwsErrors.QueryParameterInvalid($"The parameter {path} is a single value and has no members.");
        }

        return node.Values.Count switch
        {
            1 => node.Values[0],
            0 => throw AwsErrors.QueryParameterInvalid($"The parameter {path} has no value."),
            _ => throw AwsErrors.QueryParameterInvalid($"The parameter {path} appears more than once."),
        };
    }

    private static void WriteScalar(Utf8JsonWriter writer, string value, WireShape shape, string path)
    {
        switch (shape.Kind)
        {
            case WireKind.String:
                writer.WriteStringValue(value);
                break;
            case WireKind.Boolean:
                writer.WriteBooleanValue(ParseBoolean(value, path));
                break;
            case WireKind.Integer:
                writer.WriteNumberValue(ParseInteger(value, shape.Type, path));
                break;
            case WireKind.Float:
                writer.WriteNumberValue(decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw AwsErrors.QueryValueInvalid(path, "a number"));
                break;
            case WireKind.Blob:
                // Passed on as the base64 text it is; checked here so a '+' that arrived as a
                // space (it must be sent as %2B) gets a message that says so.
                if (value.AsSpan().IndexOfAny(" \t\r\n") >= 0 || !Base64.IsValid(value))
                {
                    throw AwsErrors.QueryValueInvalid(path, "base64 (send '+' as %2B)");
                }

                writer.WriteStringValue(value);
                break;
            case WireKind.Timestamp:
                writer.WriteNumberValue(ParseTimestamp(value, path).ToUnixTimeMilliseconds() / 1000m);
                break;
            default:
                throw new NotSupportedException($"No Query scalar form for {shape.Kind}.");
        }
    }

    // Smithy's Query booleans are "true"/"false"; other services' front ends accept any case.
    private static bool ParseBoolean(string value, string path) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) ? false
        : throw AwsErrors.QueryValueInvalid(path, "true or false");

    private static long ParseInteger(string value, Type type, string path)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw AwsErrors.QueryValueInvalid(path, "an integer");
        }

        var fits = type == typeof(long)
            || (type == typeof(int) && number is >= int.MinValue and <= int.MaxValue)
            || (type == typeof(short) && number is >= short.MinValue and <= short.MaxValue)
            || (type == typeof(byte) && number is >= byte.MinValue and <= byte.MaxValue);
        return fits ? number : throw AwsErrors.QueryValueInvalid(path, "an integer in range");
    }

    /// <summary>ISO 8601 with a zone (<c>2024-01-01T00:00:00Z</c>, fractions allowed) or epoch seconds.</summary>
    private static DateTimeOffset ParseTimestamp(string value, string path)
    {
        if (DateTimeOffset.TryParseExact(value, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            try
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m));
            }
            catch (Exception error) when (error is ArgumentOutOfRangeException or OverflowException)
            {
                throw AwsErrors.QueryValueInvalid(path, "a timestamp in range");
            }
        }

        throw AwsErrors.QueryValueInvalid(path, "an ISO 8601 timestamp such as 2024-01-01T00:00:00Z");
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Shown(string text) => text.Length <= 20 ? text : text[..20] + "...";
}
