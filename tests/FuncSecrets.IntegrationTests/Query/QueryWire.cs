using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Query;
using FuncSecrets.TestSupport.Query;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// Test-side Query client for the in-process app: turns a JSON request into Query parameters
/// with <see cref="QueryReference"/> (written independently of the server's decoder), sends it
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
            pairs.AddRange(QueryReference.Encode(body, WireShape.Of(OperationTable.Operations[operation].RequestInfo)));
        }

        return await SendAsync(client, QueryReference.FormEncode(pairs), method);
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
        var json = result is null ? "{}" : QueryReference.Read(result, WireShape.Of(info)).ToJsonString();

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
