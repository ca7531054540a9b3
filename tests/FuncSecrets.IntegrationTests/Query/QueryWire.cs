using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Query;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// Test-side Query client for the in-process app: turns a JSON request into Query parameters
/// (AWS's Name.member.N conventions, written independently of the server's decoder), sends it
/// as a form POST or a GET, and reads the XML answer back into the JSON the JSON door would
/// have sent, so both doors' answers can be compared field by field.
/// </summary>
public static class QueryWire
{
    public static readonly XNamespace Ns = QueryXmlWriter.Namespace;

    public enum Method
    {
        Post,
        Get,
    }

    /// <summary>Sends one Query call; <paramref name="body"/> is the JSON 1.1 request of the operation.</summary>
    public static async Task<QueryResponse> CallAsync(HttpClient client, string operation, JsonNode? body, Method method = Method.Post)
    {
        var pairs = new List<KeyValuePair<string, string>> { new("Action", operation), new("Version", "2017-10-17") };
        if (body is not null)
        {
            Encode(body, WireShape.Of(OperationTable.Operations[operation].RequestInfo), string.Empty, pairs);
        }

        return await SendAsync(client, FormEncode(pairs), method);
    }

    /// <summary>Sends raw Query text (no Action/Version added).</summary>
    public static async Task<QueryResponse> SendAsync(HttpClient client, string form, Method method = Method.Post)
    {
        using var request = method == Method.Get
            ? new HttpRequestMessage(HttpMethod.Get, "/?" + form)
            : new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(form, Encoding.UTF8) };
        if (request.Content is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        }

        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new QueryResponse(
            (int)response.StatusCode,
            bytes,
            response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null,
            response.Content.Headers.ContentType?.MediaType);
    }

    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

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
            case WireKind.Boolean:
                pairs.Add(new(prefix, node.GetValue<bool>() ? "true" : "false"));
                break;
            case WireKind.Integer:
                pairs.Add(new(prefix, node.ToJsonString()));
                break;
            case WireKind.String:
            case WireKind.Blob:
                pairs.Add(new(prefix, node.GetValue<string>()));
                break;
            default:
                throw new NotSupportedException($"No request of this API has a {shape.Kind} member.");
        }
    }

    /// <summary>Reads an element of a Query XML answer as the JSON the JSON door sends.</summary>
    public static JsonNode Read(XElement element, WireShape shape)
    {
        Assert.Equal(Ns, element.Name.Namespace);
        switch (shape.Kind)
        {
            case WireKind.Structure:
                var result = new JsonObject();
                foreach (var child in element.Elements())
                {
                    var property = shape.Info!.Properties.Single(p => p.Name == child.Name.LocalName);
                    result[property.Name] = Read(child, WireShape.Of(property.PropertyType, shape.Info.Options));
                }

                return result;
            case WireKind.List:
                return new JsonArray(element.Elements(Ns + "member").Select(e => (JsonNode?)Read(e, shape.Element)).ToArray());
            case WireKind.Map:
                var map = new JsonObject();
                foreach (var entry in element.Elements(Ns + "entry"))
                {
                    map[entry.Element(Ns + "key")!.Value] = Read(entry.Element(Ns + "value")!, shape.Element);
                }

                return map;
            case WireKind.Timestamp:
                var instant = DateTimeOffset.Parse(element.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                return JsonValue.Create(instant.ToUnixTimeMilliseconds() / 1000m);
            case WireKind.Boolean:
                return JsonValue.Create(element.Value switch { "true" => true, "false" => false, _ => throw new FormatException(element.Value) });
            case WireKind.Integer:
                return JsonValue.Create(long.Parse(element.Value, CultureInfo.InvariantCulture));
            default:
                return JsonValue.Create(element.Value);
        }
    }
}

/// <summary>One Query answer: status, the XML (parsed strictly), request id header and content type.</summary>
public sealed record QueryResponse(int Status, byte[] Body, string? RequestId, string? ContentType)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public XDocument Xml
    {
        get
        {
            using var reader = XmlReader.Create(new MemoryStream(Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
    }

    /// <summary>The Result element read back as JSON (an empty object when there is none).</summary>
    public JsonObject Result(string operation)
    {
        var root = Xml.Root!;
        Assert.Equal(QueryWire.Ns + operation + "Response", root.Name);
        Assert.Equal(RequestId, root.Element(QueryWire.Ns + "ResponseMetadata")!.Element(QueryWire.Ns + "RequestId")!.Value);
        var result = root.Element(QueryWire.Ns + operation + "Result");
        var info = OperationTable.Operations[operation].ResponseInfo;
        var json = result is null ? "{}" : QueryWire.Read(result, WireShape.Of(info)).ToJsonString();

        // Bound and written by the JSON door's own metadata, so equal data is equal text.
        return JsonNode.Parse(JsonSerializer.Serialize(JsonSerializer.Deserialize(json, info), info))!.AsObject();
    }

    /// <summary>(Type, Code, Message) of an ErrorResponse, after checking its shape and request id.</summary>
    public (string Type, string Code, string Message) Error()
    {
        var root = Xml.Root!;
        Assert.Equal(QueryWire.Ns + "ErrorResponse", root.Name);
        Assert.Equal(RequestId, root.Element(QueryWire.Ns + "RequestId")!.Value);
        var error = root.Element(QueryWire.Ns + "Error")!;
        return (error.Element(QueryWire.Ns + "Type")!.Value, error.Element(QueryWire.Ns + "Code")!.Value, error.Element(QueryWire.Ns + "Message")!.Value);
    }
}
