using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using FuncSecrets.Core.Auth;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>
/// Signs requests with AWSSDK.Core 4.1's own SigV4 signers (<c>AWS4Signer</c>,
/// <c>AWS4PreSignedUrlSigner</c>), the code every .NET AWS client runs, and turns the result
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
        var request = NewRequest("POST");
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = $"secretsmanager.{operation}";
        if (sessionToken is not null)
        {
            request.Headers["X-Amz-Security-Token"] = sessionToken;
        }

        request.Content = Encoding.UTF8.GetBytes(json);
        var result = new AWS4Signer().SignRequest(request, Config(region), null, keyId, secret, signedAtUtc);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return ToSignedRequest(request, rawQuery: string.Empty, request.Content);
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

    // ClientConfig needs a service package's configuration provider; the signers read only the
    // signing name and region, so a proxy answering those is enough.
    private static IClientConfig Config(string region) => ConfigProxy.Create(region);

    private sealed class EmptyRequest : AmazonWebServiceRequest;

#pragma warning disable CA1852 // DispatchProxy derives from the proxy type, so it cannot be sealed.
    public class ConfigProxy : DispatchProxy
#pragma warning restore CA1852
    {
        private string _region = "us-east-1";

        public static IClientConfig Create(string region)
        {
            var config = Create<IClientConfig, ConfigProxy>();
            ((ConfigProxy)(object)config)._region = region;
            return config;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_AuthenticationRegion" => _region,
            "get_AuthenticationServiceName" or "get_RegionEndpointServiceName" => "secretsmanager",
            "get_RegionEndpoint" => Amazon.RegionEndpoint.GetBySystemName(_region),
            "get_ServiceURL" => Endpoint,
            _ => targetMethod is { ReturnType: { IsValueType: true } type } && type != typeof(void) ? Activator.CreateInstance(type) : null,
        };
    }
}
