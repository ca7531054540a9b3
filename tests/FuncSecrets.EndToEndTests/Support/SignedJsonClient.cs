using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace FuncSecrets.EndToEndTests.Support;

/// <summary>A raw answer: status, headers and the body exactly as sent.</summary>
public sealed record RawResponse(int Status, string? ContentType, string? RequestId, string Body)
{
    /// <summary>The body parsed as JSON (throws when it is not JSON).</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary><c>__type</c> of an error body, or null.</summary>
    public string? ErrorType => Body.Length > 0 && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("__type", out var type) ? type.GetString() : null;

    public override string ToString() => $"HTTP {Status} {ContentType} x-amzn-RequestId={RequestId}\n{Body}";
}

/// <summary>
/// Sends JSON 1.1 requests byte for byte as written, signed with AWSSDK.Core's own SigV4 signer
/// (<see cref="AWS4Signer"/>), so wire tests can send what no SDK would (no token, bad JSON,
/// unknown targets) and still pass authentication.
/// </summary>
public sealed class SignedJsonClient : IDisposable
{
    public const string ContentType = "application/x-amz-json-1.1";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _endpoint;

    public SignedJsonClient(Uri endpoint) => _endpoint = endpoint;

    /// <summary>POSTs <paramref name="body"/> with <c>X-Amz-Target: secretsmanager.{operation}</c>, signed with the test key.</summary>
    public Task<RawResponse> SendAsync(string operation, string body) =>
        SendRawAsync($"secretsmanager.{operation}", Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// POSTs the bytes as they are, with any target string, signed with the given key pair (the
    /// test key by default), or not signed at all when <paramref name="sign"/> is false.
    /// </summary>
    public async Task<RawResponse> SendRawAsync(string target, byte[] body, bool sign = true,
        string accessKeyId = ClientScript.AccessKeyId, string secretAccessKey = ClientScript.SecretAccessKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        var headers = sign
            ? Sign(target, body, accessKeyId, secretAccessKey)
            : new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Amz-Target"] = target };
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids);
        return new RawResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), ids?.FirstOrDefault(), text);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The headers AWSSDK.Core's signer adds (X-Amz-Date, X-Amz-Content-SHA256, Authorization...).</summary>
    private IDictionary<string, string> Sign(string target, byte[] body, string accessKeyId, string secretAccessKey)
    {
        var request = new DefaultRequest(new EmptyRequest(), "secretsmanager")
        {
            HttpMethod = "POST",
            Endpoint = new Uri(_endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = "/",
            Content = body,
            AuthenticationRegion = ClientScript.Region,
        };
        request.Headers["Content-Type"] = ContentType;
        request.Headers["X-Amz-Target"] = target;
        var config = new SigningConfig(_endpoint);
        var result = new AWS4Signer().SignRequest(request, config, null, accessKeyId, secretAccessKey);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return request.Headers;
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;

    /// <summary>The least client configuration the signer reads: service name and region.</summary>
    private sealed class SigningConfig : ClientConfig
    {
        public SigningConfig(Uri endpoint)
            : base(new NoDefaults())
        {
            ServiceURL = endpoint.GetLeftPart(UriPartial.Authority);
            AuthenticationRegion = ClientScript.Region;
            AuthenticationServiceName = "secretsmanager";
        }

        public override string RegionEndpointServiceName => "secretsmanager";

        public override string ServiceVersion => "2017-10-17";

        public override string UserAgent => "FuncSecrets.EndToEndTests";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }

    private sealed class NoDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) =>
            new DefaultConfiguration();
    }
}
