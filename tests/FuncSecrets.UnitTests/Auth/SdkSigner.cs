using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using FuncSecrets.Core.Auth;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>
/// Signs requests with AWSSDK.Core 4.1's own SigV4 signers (<c>AWS4Signer</c> through
/// <see cref="JsonRequestSigner"/>, <c>AWS4PreSignedUrlSigner</c>), the code every .NET AWS client runs, and turns the result
/// into the <see cref="SignedRequest"/> our verifier sees.
/// </summary>
internal static class SdkSigner
{
    public const string Endpoint = "http://127.0.0.1:5050";

    /// <summary>A JSON 1.1 call, signed in the Authorization header.</summary>
    public static SignedRequest SignJson(
        string operation,
        string json,
        DateTime signedAtUtc,
        string keyId,
        string secret,
        string region = "us-east-1",
        string? sessionToken = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var headers = JsonRequestSigner.Sign(new Uri(Endpoint), $"secretsmanager.{operation}", body, keyId, secret, signedAtUtc, region, sessionToken: sessionToken);
        return new SignedRequest("POST", "/", string.Empty, headers, SignedRequest.Sha256Hex(body));
    }

    /// <summary>A Query-protocol GET, presigned in the query string.</summary>
    public static SignedRequest Presign(
        IReadOnlyDictionary<string, string> parameters,
        DateTime signedAtUtc,
        string keyId,
        string secret,
        int? expiresSeconds,
        string region = "us-east-1",
        string? sessionToken = null)
    {
        var request = NewRequest("GET");
        request.UseQueryString = true;
        foreach (var (name, value) in parameters)
        {
            request.Parameters[name] = value;
        }

        if (expiresSeconds is { } expires)
        {
            request.Parameters["X-Amz-Expires"] = expires.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (sessionToken is not null)
        {
            request.Parameters["X-Amz-Security-Token"] = sessionToken;
        }

        var result = AWS4PreSignedUrlSigner.SignRequest(request, Config(region), null, keyId, secret, "secretsmanager", region, signedAtUtc);
        var query = string.Join('&', request.Parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return ToSignedRequest(request, $"{query}&{result.ForQueryParameters}", []);
    }

    private static DefaultRequest NewRequest(string method) =>
        new(new EmptyRequest(), "SecretsManager")
        {
            HttpMethod = method,
            Endpoint = new Uri(Endpoint),
            ResourcePath = "/",
        };

    private static SignedRequest ToSignedRequest(DefaultRequest request, string rawQuery, byte[] body) =>
        new(request.HttpMethod, "/", rawQuery, request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value)), SignedRequest.Sha256Hex(body));

    private static IClientConfig Config(string region) => SigningConfig.Create(region, "secretsmanager", new Uri(Endpoint));

    private sealed class EmptyRequest : AmazonWebServiceRequest;
}
