using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FuncSecrets.TestSupport.Signing;

/// <summary>A raw answer: status, headers and the body exactly as sent.</summary>
public sealed record RawResponse(int Status, string? ContentType, string? RequestId, string Body)
{
    /// <summary>The body parsed as JSON (throws when it is not JSON).</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary><c>__type</c> of an error body, or null.</summary>
    public string? ErrorType => Body.Length > 0 && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("__type", out var type) ? type.GetString() : null;

    /// <summary>The media type of <see cref="ContentType"/> without parameters such as charset.</summary>
    public string? MediaType => MediaTypeHeaderValue.TryParse(ContentType, out var parsed) ? parsed.MediaType : null;

    public override string ToString() => $"HTTP {Status} {ContentType} x-amzn-RequestId={RequestId}\n{Body}";
}

/// <summary>
/// Sends AWS JSON 1.1 requests byte for byte as written, signed by <see cref="JsonRequestSigner"/>
/// (AWSSDK.Core's signer), so tests can send what no SDK would (no token, bad JSON, unknown
/// targets, a body changed after signing) and still pass, or deliberately fail, authentication.
/// </summary>
public sealed class SignedJsonClient : IDisposable
{
    public const string TestAccessKeyId = "test";
    public const string TestSecretAccessKey = "test";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;

    /// <summary>A client with its own connection to <paramref name="endpoint"/> (a real server).</summary>
    public SignedJsonClient(Uri endpoint)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        _ownsHttp = true;
        _endpoint = endpoint;
    }

    /// <summary>A client over <paramref name="http"/> (e.g. an in-memory test server), sending to its base address; not disposed here.</summary>
    public SignedJsonClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _endpoint = http.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress.", nameof(http));
    }

    public string AccessKeyId { get; init; } = TestAccessKeyId;

    public string SecretAccessKey { get; init; } = TestSecretAccessKey;

    public string Region { get; init; } = "us-east-1";

    /// <summary>The signing name in the credential scope.</summary>
    public string Service { get; init; } = "secretsmanager";

    /// <summary>What goes before the operation in <c>X-Amz-Target</c>.</summary>
    public string TargetPrefix { get; init; } = "secretsmanager.";

    /// <summary>The signing time.</summary>
    public Func<DateTime> Clock { get; set; } = () => DateTime.UtcNow;

    /// <summary>POSTs <paramref name="body"/> with <c>X-Amz-Target: {TargetPrefix}{operation}</c>, signed with this client's key.</summary>
    public Task<RawResponse> SendAsync(string operation, string body) =>
        SendRawAsync(TargetPrefix + operation, Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// POSTs the bytes with any target string, signed with the given key pair (this client's by
    /// default) or not at all when <paramref name="sign"/> is false. <paramref name="bodyAfterSigning"/>
    /// replaces the signed body on the wire; <paramref name="tamper"/> edits the request last.
    /// </summary>
    public async Task<RawResponse> SendRawAsync(string target, byte[] body, bool sign = true,
        string? accessKeyId = null, string? secretAccessKey = null,
        Action<HttpRequestMessage>? tamper = null, byte[]? bodyAfterSigning = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Content = new ByteArrayContent(bodyAfterSigning ?? body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(JsonRequestSigner.ContentType);
        IReadOnlyList<KeyValuePair<string, string>> headers = sign
            ? JsonRequestSigner.Sign(_endpoint, target, body, accessKeyId ?? AccessKeyId, secretAccessKey ?? SecretAccessKey, Clock(), Region, Service)
            : [KeyValuePair.Create("X-Amz-Target", target)];
        JsonRequestSigner.CopyTo(headers, request);
        tamper?.Invoke(request);

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids);
        return new RawResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), ids?.FirstOrDefault(), text);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
