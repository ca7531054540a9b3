using System.Text;
using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// The in-memory API's view of <see cref="SignedJsonClient"/> (AWSSDK.Core's own SigV4 signer):
/// JSON bodies from objects, answers as <see cref="ApiResponse"/>, hooks to tamper with the
/// request after signing.
/// </summary>
public sealed class SigningClient(HttpClient http, string keyId, string secret, string region = "us-east-1", string service = "secretsmanager")
{
    private readonly SignedJsonClient _client = new(http) { AccessKeyId = keyId, SecretAccessKey = secret, Region = region, Service = service };

    public Func<DateTime> Clock
    {
        get => _client.Clock;
        set => _client.Clock = value;
    }

    /// <summary>What goes before the operation in <c>X-Amz-Target</c> (CloudTrail's for LookupEvents, issue 16).</summary>
    public string TargetPrefix { get; init; } = "secretsmanager.";

    public async Task<ApiResponse> CallAsync(string operation, object body, Action<HttpRequestMessage>? tamper = null, string? bodyAfterSigning = null)
    {
        var json = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(body));
        var response = await _client.SendRawAsync(TargetPrefix + operation, json, tamper: tamper,
            bodyAfterSigning: bodyAfterSigning is null ? null : Encoding.UTF8.GetBytes(bodyAfterSigning));
        return new ApiResponse(response.Status, response.Body, null, response.MediaType);
    }

    public async Task<JsonObject> OkAsync(string operation, object body)
    {
        var response = await CallAsync(operation, body);
        Assert.True(response.Status == 200, $"{operation} answered {response.Status}: {response.Text}");
        return response.Json;
    }
}
