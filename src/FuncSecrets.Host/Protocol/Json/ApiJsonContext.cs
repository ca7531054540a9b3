using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncSecrets.Core.Operations;

namespace FuncSecrets.Host.Protocol.Json;

/// <summary>
/// Source-generated JSON for every request and response shape: no reflection at run time.
/// Absent members are left out, never sent as null; names are AWS's, case-sensitive.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(CreateSecretResponse))]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(BatchGetSecretValueRequest))]
[JsonSerializable(typeof(BatchGetSecretValueResponse))]
[JsonSerializable(typeof(PutSecretValueRequest))]
[JsonSerializable(typeof(PutSecretValueResponse))]
[JsonSerializable(typeof(UpdateSecretRequest))]
[JsonSerializable(typeof(UpdateSecretResponse))]
[JsonSerializable(typeof(UpdateSecretVersionStageRequest))]
[JsonSerializable(typeof(UpdateSecretVersionStageResponse))]
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
[JsonSerializable(typeof(ListSecretsRequest))]
[JsonSerializable(typeof(ListSecretsResponse))]
[JsonSerializable(typeof(ListSecretVersionIdsRequest))]
[JsonSerializable(typeof(ListSecretVersionIdsResponse))]
[JsonSerializable(typeof(DeleteSecretRequest))]
[JsonSerializable(typeof(DeleteSecretResponse))]
[JsonSerializable(typeof(RestoreSecretRequest))]
[JsonSerializable(typeof(RestoreSecretResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(GetRandomPasswordRequest))]
[JsonSerializable(typeof(GetRandomPasswordResponse))]
[JsonSerializable(typeof(ReplicateSecretToRegionsRequest))]
[JsonSerializable(typeof(ReplicateSecretToRegionsResponse))]
[JsonSerializable(typeof(RemoveRegionsFromReplicationRequest))]
[JsonSerializable(typeof(RemoveRegionsFromReplicationResponse))]
[JsonSerializable(typeof(StopReplicationToReplicaRequest))]
[JsonSerializable(typeof(StopReplicationToReplicaResponse))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(RotateSecretResponse))]
[JsonSerializable(typeof(CancelRotateSecretRequest))]
[JsonSerializable(typeof(CancelRotateSecretResponse))]
[JsonSerializable(typeof(PutResourcePolicyRequest))]
[JsonSerializable(typeof(SecretIdentityResponse))]
[JsonSerializable(typeof(GetResourcePolicyRequest))]
[JsonSerializable(typeof(GetResourcePolicyResponse))]
[JsonSerializable(typeof(DeleteResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyResponse))]
[JsonSerializable(typeof(ErrorBody))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the wire uses: as <see cref="Default"/>, but characters such as <c>'</c> and
    /// <c>+</c> are written as themselves, as AWS writes them ("can't", not "can\u0027t"). This is
    /// a protocol body, never embedded in HTML, so the HTML-safe default buys nothing.
    /// </summary>
    public static ApiJsonContext Wire { get; } = new(WireOptions());

    /// <summary>New options with the wire's rules, for this context and any other JSON 1.1 context (CloudTrail's).</summary>
    public static JsonSerializerOptions WireOptions() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new EpochSecondsConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>The JSON 1.1 error body: <c>{"__type":"Code","Message":"text"}</c>.</summary>
public sealed class ErrorBody
{
    [JsonPropertyName("__type")]
    public required string Type { get; init; }

    public required string Message { get; init; }
}
