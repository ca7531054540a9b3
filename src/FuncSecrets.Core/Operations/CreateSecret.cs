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
    private readonly VersionFactory _versions = new(deps);

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
        var record = new SecretRecord
        {
            Name = name,
            ArnSuffix = SecretArn.NewSuffix(),
            Description = string.IsNullOrEmpty(request.Description) ? null : request.Description,
            KmsKeyId = string.IsNullOrEmpty(request.KmsKeyId) ? null : request.KmsKeyId,
            Tags = request.Tags is { Count: > 0 } ? [.. request.Tags] : null,
            CreatedDate = now,
            LastChangedDate = now,
        };

        if (replicas is not null)
        {
            ReplicaRegionRequest.AddTo(record, replicas, request.ForceOverwriteReplicaSecret ?? false);
        }

        var versions = new List<StoredVersion>();
        if (payload is not null)
        {
            var version = await _versions.SealAsync(record, request.ClientRequestToken!, payload, now, cancellationToken);
            record.Versions[version.VersionId] = new VersionEntry { CreatedDate = now, Stages = [StagingLabels.Current] };
            record.CurrentValue = version.Value;
            versions.Add(version);
        }

        // Replication (issue 14): announced before the write, propagated right after it.
        var replicator = new Replicator(deps);
        var replication = await replicator.BeforeCommitAsync(record, record, cancellationToken);
        if (!await deps.Store.CreateAsync(record, versions, cancellationToken))
        {
            // Another call created the name first: answer as if we had found it.
            var winner = await deps.Store.GetAsync(name, cancellationToken) ?? throw AwsErrors.ServiceUnavailable();
            return await AnswerExistingAsync(winner, request, payload, cancellationToken);
        }

        await replicator.AfterCommitAsync(replication, record, cancellationToken);
        return new CreateSecretResponse
        {
            ARN = record.Arn(deps.Options),
            Name = name,
            VersionId = payload is null ? null : request.ClientRequestToken,
            ReplicationStatus = ReplicationStatus.ListOf(record.Replicas),
        };
    }

    private async Task<CreateSecretResponse> AnswerExistingAsync(SecretRecord existing, CreateSecretRequest request, byte[]? payload, CancellationToken cancellationToken)
    {
        if (existing.IsDeleted)
        {
            throw AwsErrors.NameScheduledForDeletion();
        }

        // A retry of the same call (same token, same value) succeeds again, as AWS documents for
        // the idempotency token; the same token with another value names a version in use (moto's
        // @aws_verified test_create_different_secret_with_same_token); anything else finds the
        // name taken.
        if (payload is not null
            && request.ClientRequestToken is not null
            && existing.Versions.ContainsKey(request.ClientRequestToken))
        {
            return await _versions.HoldsValueAsync(existing, request.ClientRequestToken, payload, cancellationToken)
                ? new CreateSecretResponse { ARN = existing.Arn(deps.Options), Name = existing.Name, VersionId = request.ClientRequestToken }
                : throw AwsErrors.TokenInUse(request.ClientRequestToken, existing.Arn(deps.Options));
        }

        throw AwsErrors.SecretExists(existing.Name);
    }
}
