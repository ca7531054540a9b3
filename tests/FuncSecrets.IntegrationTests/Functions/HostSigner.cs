using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// Signs a JSON 1.1 call with AWSSDK.Core's own SigV4 signer (<c>AWS4Signer</c>), for a public
/// endpoint such as <c>https://app.azurewebsites.net</c>: what an AWS SDK pointed at the Function
/// App sends before the Functions host relays it to this custom handler.
/// </summary>
public static class HostSigner
{
    public const string DevKeyId = "test";
    public const string DevSecret = "test";
    public const string Region = "us-east-1";

    /// <summary>The signed headers, Host included, and the body bytes.</summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body) SignJson(
        Uri publicEndpoint, string operation, string json, DateTimeOffset signedAt, string keyId = DevKeyId, string secret = DevSecret)
    {
        var request = new DefaultRequest(new EmptyRequest(), "SecretsManager")
        {
            HttpMethod = "POST",
            Endpoint = publicEndpoint,
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(json),
        };
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = "secretsmanager." + operation;
        var result = new AWS4Signer().SignRequest(request, ConfigProxy.Create(Region, publicEndpoint), null, keyId, secret, signedAt.UtcDateTime);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return (request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value)).ToList(), request.Content);
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;

    // ClientConfig needs a service package's configuration; the signer reads only the signing
    // name, region and endpoint, so a proxy answering those is enough.
    public class ConfigProxy : DispatchProxy
    {
        private string _region = Region;
        private Uri _endpoint = new("https://localhost");

        public static IClientConfig Create(string region, Uri endpoint)
        {
            var config = Create<IClientConfig, ConfigProxy>();
            var proxy = (ConfigProxy)(object)config;
            proxy._region = region;
            proxy._endpoint = endpoint;
            return config;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_AuthenticationRegion" => _region,
            "get_AuthenticationServiceName" or "get_RegionEndpointServiceName" => "secretsmanager",
            "get_RegionEndpoint" => Amazon.RegionEndpoint.GetBySystemName(_region),
            "get_ServiceURL" => _endpoint.ToString(),
            _ => targetMethod is { ReturnType: { IsValueType: true } type } && type != typeof(void) ? Activator.CreateInstance(type) : null,
        };
    }
}
