using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class CreateSecretRequest
{
    public string? Name { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? Description { get; init; }
    public string? KmsKeyId { get; init; }
    public byte[]? SecretBinary { get; init; }
    public string? SecretString { get; init; }
    public List<Tag>? Tags { get; init; }
    public List<ReplicaRegion>? AddReplicaRegions { get; init; }
    public bool? ForceOverwriteReplicaSecret { get; init; }
    public string? Type { get; init; }
}

public sealed record ReplicaRegion(string? Region, string? KmsKeyId);

public sealed class CreateSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
    public List<ReplicationStatus>? ReplicationStatus { get; init; }
}

public sealed record ReplicationStatus(string? Region, string? KmsKeyId, string? Status, string? StatusMessage, DateTimeOffset? LastAccessedDate = null)
{
    /// <summary>The wire form of a primary's replicas; null (left out) when it has none.</summary>
    public static List<ReplicationStatus>? ListOf(IReadOnlyList<ReplicaState>? replicas) =>
        replicas is null
            ? null
            : [.. replicas.Select(r => new ReplicationStatus(r.Region, r.KmsKeyId ?? ReplicaState.DefaultKmsKeyId, r.Status, r.StatusMessage, r.LastAccessedDate))];
}

/// <summary>
/// CreateSecret: a new secret with, when a value is given, its first version labelled
/// AWSCURRENT. The ClientRequestToken is that version's id; repeating the call with the same
/// token and value answers the same result.
/// </summary>
public sealed class CreateSecretHandler(OperationDependencies deps) : IOperation<CreateSecretRequest, CreateSecretResponse>
{
    private readonly SecretAccess _access = new(deps);
    private readonly VersionValues _values = new(deps);

    public async Task<CreateSecretResponse> ExecuteAsync(CreateSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var name = Validate.Required(request.Name, "name");
        SecretName.Validate(name);
        Validate.Description(request.Description);
        Validate.KmsKeyId(request.KmsKeyId);
        Validate.Tags(request.Tags);
        var payload = Validate.Value(request.SecretString, request.SecretBinary);
        if (payload is not null && request.ClientRequestToken is null)
        {
            throw AwsErrors.MissingClientRequestToken();
        }

        Validate.Token(request.ClientRequestToken, "clientRequestToken");
        if (request.AddReplicaRegions is not null)
        {
            ReplicaRegionRequest.CheckAdd(request.AddReplicaRegions);
        }

        deps.Cipher.ValidateKmsKeyId(request.KmsKeyId);
        _access.AuthorizeMissing(name, context.Operation, context, name);
        var replicas = request.AddReplicaRegions is null ? null : ReplicaRegionRequest.Resolve(request.AddReplicaRegions, deps.Peers, deps.Options.Region);

        var existing = await deps.Store.GetAsync(name, cancellationToken);
        if (existing is not null)
        {
            return await AnswerExistingAsync(existing, request, payload, cancellationToken);
        }

        var now = deps.Now();
        var secret = Secret.Create(name, request.Description, request.KmsKeyId, request.Tags, now, deps.Options);
        if (replicas is not null)
        {
            secret.AddReplicas(replicas, request.ForceOverwriteReplicaSecret ?? false);
        }

        if (payload is not null)
        {
            var version = await new NewValue(deps, request.ClientRequestToken!, payload).PrepareAsync(secret, now, cancellationToken);
            secret.AddVersion(version, [StagingLabels.Current], now);
        }

        if (!await new SecretChangeWriter(deps).CreateAsync(secret, cancellationToken))
        {
            // Another call created the name first: answer as if we had found it.
            var winner = await deps.Store.GetAsync(name, cancellationToken) ?? throw AwsErrors.ServiceUnavailable();
            return await AnswerExistingAsync(winner, request, payload, cancellationToken);
        }

        return new CreateSecretResponse
        {
            ARN = secret.Arn,
            Name = name,
            VersionId = payload is null ? null : request.ClientRequestToken,
            ReplicationStatus = ReplicationStatus.ListOf(secret.Replicas),
        };
    }

    /// <summary>The name is taken: a retry of this call answers again, anything else is refused (see <see cref="Secret.AnswerRepeatedCreate"/>).</summary>
    private async Task<CreateSecretResponse> AnswerExistingAsync(SecretRecord existing, CreateSecretRequest request, byte[]? payload, CancellationToken cancellationToken)
    {
        var secret = new Secret(existing, deps.Options);
        var match = payload is not null && request.ClientRequestToken is not null && !secret.IsDeleted
            ? await _values.MatchTokenAsync(secret, request.ClientRequestToken, payload, cancellationToken)
            : TokenMatch.Absent;
        var versionId = secret.AnswerRepeatedCreate(request.ClientRequestToken, match);
        return new CreateSecretResponse { ARN = secret.Arn, Name = secret.Name, VersionId = versionId };
    }
}
