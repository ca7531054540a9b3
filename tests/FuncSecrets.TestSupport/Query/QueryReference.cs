using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using FuncSecrets.Host.Protocol.Query;
using Xunit;

namespace FuncSecrets.TestSupport.Query;

/// <summary>
/// The test side's own Query protocol, written from AWS's conventions and walking a shape's
/// metadata independently of the server's decoder and writer: a reference encoder (JSON →
/// Name.member.N pairs, as botocore spells them) and a strict reference XML reader (Query XML →
/// the JSON the JSON door would have sent).
/// </summary>
public static class QueryReference
{
    public const string Ns = QueryXmlWriter.Namespace;

    /// <summary>The Query parameters for a JSON value, as AWS's Query convention (and botocore) spells them.</summary>
    public static List<KeyValuePair<string, string>> Encode(JsonNode node, WireShape shape)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        Encode(node, shape, string.Empty, pairs);
        return pairs;
    }

    private static void Encode(JsonNode node, WireShape shape, string prefix, List<KeyValuePair<string, string>> pairs)
    {
        switch (shape.Kind)
        {
            case WireKind.Structure:
                foreach (var (name, value) in node.AsObject())
                {
                    var property = shape.Info!.Properties.Single(p => p.Name == name);
                    Encode(value!, WireShape.Of(property.PropertyType, shape.Info.Options), prefix.Length == 0 ? name : $"{prefix}.{name}", pairs);
                }

                break;
            case WireKind.List:
                var items = node.AsArray();
                if (items.Count == 0)
                {
                    pairs.Add(new(prefix, string.Empty));
                }

                for (var i = 0; i < items.Count; i++)
                {
                    Encode(items[i]!, shape.Element, $"{prefix}.member.{i + 1}", pairs);
                }

                break;
            case WireKind.Map:
                var index = 0;
                foreach (var (key, value) in node.AsObject())
                {
                    index++;
                    pairs.Add(new($"{prefix}.entry.{index}.key", key));
                    Encode(value!, shape.Element, $"{prefix}.entry.{index}.value", pairs);
                }

                break;
            case WireKind.Timestamp:
                var ms = (long)(node.GetValue<decimal>() * 1000m);
                pairs.Add(new(prefix, DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
                break;
            case WireKind.Boolean:
                pairs.Add(new(prefix, node.GetValue<bool>() ? "true" : "false"));
                break;
            case WireKind.Integer:
            case WireKind.Float:
                pairs.Add(new(prefix, node.ToJsonString()));
                break;
            default:
                pairs.Add(new(prefix, node.GetValue<string>()));
                break;
        }
    }

    /// <summary>application/x-www-form-urlencoded text of the pairs (RFC 3986 escaping, as botocore).</summary>
    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>Reads a Query XML element back into the JSON the JSON door would have sent.</summary>
    public static JsonNode Read(XElement element, WireShape shape)
    {
        Assert.Equal(Ns, element.Name.NamespaceName);
        switch (shape.Kind)
        {
            case WireKind.Structure:
                var result = new JsonObject();
                foreach (var child in element.Elements())
                {
                    var property = shape.Info!.Properties.SingleOrDefault(p => p.Name == child.Name.LocalName)
                        ?? throw new Xunit.Sdk.XunitException($"<{child.Name.LocalName}> is not a member of {shape.Type.Name}");
                    Assert.False(result.ContainsKey(property.Name), $"<{property.Name}> appears twice");
                    result[property.Name] = Read(child, WireShape.Of(property.PropertyType, shape.Info.Options));
                }

                return result;
            case WireKind.List:
                Assert.All(element.Elements(), e => Assert.Equal("member", e.Name.LocalName));
                return new JsonArray(element.Elements().Select(e => (JsonNode?)Read(e, shape.Element)).ToArray());
            case WireKind.Map:
                var map = new JsonObject();
                foreach (var entry in element.Elements())
                {
                    Assert.Equal("entry", entry.Name.LocalName);
                    map[entry.Element(XName.Get("key", Ns))!.Value] = Read(entry.Element(XName.Get("value", Ns))!, shape.Element);
                }

                return map;
            case WireKind.Timestamp:
                Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", element.Value);
                var instant = DateTimeOffset.Parse(element.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                return JsonValue.Create(instant.ToUnixTimeMilliseconds() / 1000m);
            case WireKind.Boolean:
                Assert.Contains(element.Value, new[] { "true", "false" });
                return JsonValue.Create(element.Value == "true");
            case WireKind.Integer:
                return JsonValue.Create(long.Parse(element.Value, CultureInfo.InvariantCulture));
            case WireKind.Float:
                return JsonValue.Create(decimal.Parse(element.Value, CultureInfo.InvariantCulture));
            default:
                Assert.False(element.HasElements);
                return JsonValue.Create(element.Value);
        }
    }

    /// <summary>A JSON document as the given shape binds and writes it, so equal data compares equal.</summary>
    public static string Normalize(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo info) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize(json, info), info);
}
