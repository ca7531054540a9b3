using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using FuncSecrets.IntegrationTests.Api;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Sends JSON 1.1 calls signed by AWSSDK.Core's own SigV4 signer (the code every .NET AWS
/// client runs), with hooks to tamper with the request after signing.
/// </summary>
public sealed class SigningClient(HttpClient http, string keyId, string secret, string region = "us-east-1", string service = "secretsmanager")
{
    public Func<DateTime> Clock { get; set; } = () => DateTime.UtcNow;

    /// <summary>What goes before the operation in <c>X-Amz-Target</c> (CloudTrail's for LookupEvents, issue 16).</summary>
    public string TargetPrefix { get; init; } = "secretsmanager.";

    public async Task<ApiResponse> CallAsync(string operation, object body, Action<HttpRequestMessage>? tamper = null, string? bodyAfterSigning = null)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(body);
        var request = new DefaultRequest(new EmptyRequest(), "SecretsManager")
        {
            HttpMethod = "POST",
            Endpoint = http.BaseAddress!,
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(json),
        };
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = TargetPrefix + operation;
        var signed = new AWS4Signer().SignRequest(request, ConfigProxy.Create(region, service), null, keyId, secret, Clock());
        request.Headers["Authorization"] = signed.ForAuthorizationHeader;

        using var message = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent(bodyAfterSigning is null ? request.Content : Encoding.UTF8.GetBytes(bodyAfterSigning)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        foreach (var (name, value) in request.Headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        tamper?.Invoke(message);
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse((int)response.StatusCode, text, null, response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<JsonObject> OkAsync(string operation, object body)
    {
        var response = await CallAsync(operation, body);
        Assert.True(response.Status == 200, $"{operation} answered {response.Status}: {response.Text}");
        return response.Json;
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;

#pragma warning disable CA1852 // DispatchProxy derives from the proxy type.
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
