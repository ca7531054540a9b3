using System.Net.Http.Headers;
using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace FuncSecrets.TestSupport.Signing;

/// <summary>
/// Signs an AWS JSON 1.1 call (<c>POST /</c> with <c>X-Amz-Target</c>) with AWSSDK.Core's own
/// SigV4 signer, <see cref="AWS4Signer"/>: the code every .NET AWS client runs, never ours.
/// </summary>
public static class JsonRequestSigner
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>
    /// The headers the signer produces for <paramref name="body"/> sent to
    /// <paramref name="endpoint"/> (Host, Content-Type, X-Amz-Target, X-Amz-Date,
    /// X-Amz-Content-SHA256, Authorization...), signed at <paramref name="signedAtUtc"/>. A null
    /// <paramref name="contentType"/> sends none; a <paramref name="sessionToken"/> is signed as
    /// <c>X-Amz-Security-Token</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        Uri endpoint, string target, byte[] body, string accessKeyId, string secretAccessKey, DateTime signedAtUtc,
        string region = "us-east-1", string service = "secretsmanager", string? contentType = ContentType, string? sessionToken = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var request = new DefaultRequest(new EmptyRequest(), "SecretsManager")
        {
            HttpMethod = "POST",
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = "/",
            Content = body,
        };
        if (contentType is not null)
        {
            request.Headers["Content-Type"] = contentType;
        }

        request.Headers["X-Amz-Target"] = target;
        if (sessionToken is not null)
        {
            request.Headers["X-Amz-Security-Token"] = sessionToken;
        }

        var signed = new AWS4Signer().SignRequest(request, SigningConfig.Create(region, service, endpoint), null, accessKeyId, secretAccessKey, signedAtUtc);
        request.Headers["Authorization"] = signed.ForAuthorizationHeader;
        return [.. request.Headers];
    }

    /// <summary>
    /// Puts signed headers on <paramref name="message"/>: Content-Type on its content, the rest on
    /// the request; Host and Content-Length are left to <see cref="HttpClient"/>, which sends the
    /// same values.
    /// </summary>
    public static void CopyTo(IEnumerable<KeyValuePair<string, string>> headers, HttpRequestMessage message)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (message.Content is not null)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;
}

/// <summary>
/// The client configuration AWSSDK.Core's signers read. A real <c>ClientConfig</c> needs a
/// service package's configuration; the signers read only the signing name, region and
/// endpoint, so a proxy answering those is enough.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives from the proxy type, so it cannot be sealed.
public class SigningConfig : DispatchProxy
#pragma warning restore CA1852
{
    private string _region = "us-east-1";
    private string _service = "secretsmanager";
    private Uri _endpoint = new("https://localhost");

    public static IClientConfig Create(string region, string service, Uri endpoint)
    {
        var config = Create<IClientConfig, SigningConfig>();
        var proxy = (SigningConfig)(object)config;
        proxy._region = region;
        proxy._service = service;
        proxy._endpoint = endpoint;
        return config;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        "get_AuthenticationRegion" => _region,
        "get_AuthenticationServiceName" or "get_RegionEndpointServiceName" => _service,
        "get_RegionEndpoint" => Amazon.RegionEndpoint.GetBySystemName(_region),
        "get_ServiceURL" => _endpoint.ToString(),
        _ => targetMethod is { ReturnType: { IsValueType: true } type } && type != typeof(void) ? Activator.CreateInstance(type) : null,
    };
}
