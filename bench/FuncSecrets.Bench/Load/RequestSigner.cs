using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

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
/// Signs JSON 1.1 calls with AWSSDK.Core's own SigV4 signer (what every .NET AWS client runs), so
/// the service verifies exactly what a real client sends.
/// </summary>
public sealed class RequestSigner(Uri endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1")
{
    private readonly IClientConfig _config = ConfigProxy.Create(region, "secretsmanager");

    public Uri Endpoint => endpoint;

    public SignedCall Sign(string operation, string json)
    {
        var request = new DefaultRequest(new EmptyRequest(), "SecretsManager")
        {
            HttpMethod = "POST",
            Endpoint = endpoint,
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(json),
        };
        request.Headers["Content-Type"] = SignedCall.ContentType;
        request.Headers["X-Amz-Target"] = "secretsmanager." + operation;
        var signature = new AWS4Signer().SignRequest(request, _config, null, accessKeyId, secretAccessKey, DateTime.UtcNow);
        request.Headers["Authorization"] = signature.ForAuthorizationHeader;

        // Content-Type, Host and Content-Length are set by HttpClient itself from the same values.
        var headers = request.Headers
            .Where(h => h.Key is not ("Content-Type" or "Host" or "Content-Length"))
            .ToList();
        return new SignedCall(request.Content, headers);
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;

    /// <summary>The few members of IClientConfig the signer reads; the rest default.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from the proxy type at run time.
    public class ConfigProxy : DispatchProxy
#pragma warning restore CA1852
    {
        private string _region = "us-east-1";
        private string _service = "secretsmanager";

        public static IClientConfig Create(string region, string service)
        {
            var config = Create<IClientConfig, ConfigProxy>();
            var proxy = (ConfigProxy)(object)config;
            proxy._region = region;
            proxy._service = service;
            return config;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_AuthenticationRegion" => _region,
            "get_AuthenticationServiceName" or "get_RegionEndpointServiceName" => _service,
            "get_RegionEndpoint" => Amazon.RegionEndpoint.GetBySystemName(_region),
            _ => targetMethod is { ReturnType: { IsValueType: true } type } && type != typeof(void) ? Activator.CreateInstance(type) : null,
        };
    }
}
