using System.Net.Http.Headers;
using System.Text;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.Bench.Load;

/// <summary>A JSON 1.1 call signed once and replayable until its signature expires (5 minutes).</summary>
public sealed record SignedCall(byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string ContentType = "application/x-amz-json-1.1";

    private static readonly MediaTypeHeaderValue JsonType = new(ContentType);

    public HttpRequestMessage ToRequest(Uri endpoint)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Body) };
        message.Content.Headers.ContentType = JsonType;
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}

/// <summary>
/// Signs JSON 1.1 calls with AWSSDK.Core's own SigV4 signer (what every .NET AWS client runs,
/// through TestSupport's <see cref="JsonRequestSigner"/>, the tests' one copy), so the service
/// verifies exactly what a real client sends. Calls are signed before they are sent, so signing
/// costs nothing in a measured run.
/// </summary>
public sealed class RequestSigner(Uri endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1")
{
    public Uri Endpoint => endpoint;

    public SignedCall Sign(string operation, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var signed = JsonRequestSigner.Sign(endpoint, "secretsmanager." + operation, body, accessKeyId, secretAccessKey, DateTime.UtcNow, region);

        // Content-Type, Host and Content-Length are set by HttpClient itself from the same values.
        return new SignedCall(body, [.. signed.Where(h => h.Key is not ("Content-Type" or "Host" or "Content-Length"))]);
    }
}
