using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol;

/// <summary>One operation as the front doors see it: its shapes and how to run it.</summary>
public sealed class OperationEntry(
    string name,
    Type handlerType,
    JsonTypeInfo requestInfo,
    JsonTypeInfo responseInfo,
    Func<IServiceProvider, object, RequestContext, CancellationToken, Task<object>> execute)
{
    public string Name { get; } = name;

    /// <summary>The handler class, registered as a singleton.</summary>
    public Type HandlerType { get; } = handlerType;

    /// <summary>The request shape; the JSON and Query decoders are both driven by it.</summary>
    public JsonTypeInfo RequestInfo { get; } = requestInfo;

    public JsonTypeInfo ResponseInfo { get; } = responseInfo;

    public Task<object> ExecuteAsync(IServiceProvider services, object request, RequestContext context, CancellationToken cancellationToken) =>
        execute(services, request, context, cancellationToken);
}

/// <summary>
/// The dispatch table: <c>secretsmanager.&lt;Op&gt;</c> → shapes and handler. Every operation of
/// the API is on this one screen; the two front doors (JSON 1.1 and Query) both use it, so they
/// cannot drift apart.
/// </summary>
public static class OperationTable
{
    public const string TargetPrefix = "secretsmanager.";

    private static readonly ApiJsonContext Json = ApiJsonContext.Wire;

    public static FrozenDictionary<string, OperationEntry> Operations { get; } = new[]
    {
        Op<BatchGetSecretValueHandler, BatchGetSecretValueRequest, BatchGetSecretValueResponse>("BatchGetSecretValue", Json.BatchGetSecretValueRequest, Json.BatchGetSecretValueResponse),
        Op<CancelRotateSecretHandler, CancelRotateSecretRequest, CancelRotateSecretResponse>("CancelRotateSecret", Json.CancelRotateSecretRequest, Json.CancelRotateSecretResponse),
        Op<CreateSecretHandler, CreateSecretRequest, CreateSecretResponse>("CreateSecret", Json.CreateSecretRequest, Json.CreateSecretResponse),
        Op<DeleteResourcePolicyHandler, DeleteResourcePolicyRequest, SecretIdentityResponse>("DeleteResourcePolicy", Json.DeleteResourcePolicyRequest, Json.SecretIdentityResponse),
        Op<DeleteSecretHandler, DeleteSecretRequest, DeleteSecretResponse>("DeleteSecret", Json.DeleteSecretRequest, Json.DeleteSecretResponse),
        Op<DescribeSecretHandler, DescribeSecretRequest, DescribeSecretResponse>("DescribeSecret", Json.DescribeSecretRequest, Json.DescribeSecretResponse),
        Op<GetRandomPasswordHandler, GetRandomPasswordRequest, GetRandomPasswordResponse>("GetRandomPassword", Json.GetRandomPasswordRequest, Json.GetRandomPasswordResponse),
        Op<GetResourcePolicyHandler, GetResourcePolicyRequest, GetResourcePolicyResponse>("GetResourcePolicy", Json.GetResourcePolicyRequest, Json.GetResourcePolicyResponse),
        Op<GetSecretValueHandler, GetSecretValueRequest, GetSecretValueResponse>("GetSecretValue", Json.GetSecretValueRequest, Json.GetSecretValueResponse),
        Op<ListSecretsHandler, ListSecretsRequest, ListSecretsResponse>("ListSecrets", Json.ListSecretsRequest, Json.ListSecretsResponse),
        Op<ListSecretVersionIdsHandler, ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>("ListSecretVersionIds", Json.ListSecretVersionIdsRequest, Json.ListSecretVersionIdsResponse),
        Op<PutResourcePolicyHandler, PutResourcePolicyRequest, SecretIdentityResponse>("PutResourcePolicy", Json.PutResourcePolicyRequest, Json.SecretIdentityResponse),
        Op<PutSecretValueHandler, PutSecretValueRequest, PutSecretValueResponse>("PutSecretValue", Json.PutSecretValueRequest, Json.PutSecretValueResponse),
        Op<RemoveRegionsFromReplicationHandler, RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse>("RemoveRegionsFromReplication", Json.RemoveRegionsFromReplicationRequest, Json.RemoveRegionsFromReplicationResponse),
        Op<ReplicateSecretToRegionsHandler, ReplicateSecretToRegionsRequest, ReplicateSecretToRegionsResponse>("ReplicateSecretToRegions", Json.ReplicateSecretToRegionsRequest, Json.ReplicateSecretToRegionsResponse),
        Op<StopReplicationToReplicaHandler, StopReplicationToReplicaRequest, StopReplicationToReplicaResponse>("StopReplicationToReplica", Json.StopReplicationToReplicaRequest, Json.StopReplicationToReplicaResponse),
        Op<RestoreSecretHandler, RestoreSecretRequest, RestoreSecretResponse>("RestoreSecret", Json.RestoreSecretRequest, Json.RestoreSecretResponse),
        Op<RotateSecretHandler, RotateSecretRequest, RotateSecretResponse>("RotateSecret", Json.RotateSecretRequest, Json.RotateSecretResponse),
        Op<TagResourceHandler, TagResourceRequest, EmptyResponse>("TagResource", Json.TagResourceRequest, Json.EmptyResponse),
        Op<UntagResourceHandler, UntagResourceRequest, EmptyResponse>("UntagResource", Json.UntagResourceRequest, Json.EmptyResponse),
        Op<UpdateSecretHandler, UpdateSecretRequest, UpdateSecretResponse>("UpdateSecret", Json.UpdateSecretRequest, Json.UpdateSecretResponse),
        Op<UpdateSecretVersionStageHandler, UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>("UpdateSecretVersionStage", Json.UpdateSecretVersionStageRequest, Json.UpdateSecretVersionStageResponse),
        Op<ValidateResourcePolicyHandler, ValidateResourcePolicyRequest, ValidateResourcePolicyResponse>("ValidateResourcePolicy", Json.ValidateResourcePolicyRequest, Json.ValidateResourcePolicyResponse),
    }.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The handler types, for registration in the container.</summary>
    public static IEnumerable<Type> HandlerTypes => Operations.Values.Select(e => e.HandlerType);

    private static OperationEntry Op<THandler, TRequest, TResponse>(string name, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response)
        where THandler : IOperation<TRequest, TResponse>
        where TRequest : class
        where TResponse : class
    {
        return new OperationEntry(name, typeof(THandler), request, response, async (services, body, context, cancellationToken) =>
        {
            var handler = services.GetRequiredService<THandler>();
            return await handler.ExecuteAsync((TRequest)body, context, cancellationToken);
        });
    }
}
