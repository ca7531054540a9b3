using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class UpdateSecretRequest
{
    public string? SecretId { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? Description { get; init; }
    public string? KmsKeyId { get; init; }
    public byte[]? SecretBinary { get; init; }
    public string? SecretString { get; init; }
    public string? Type { get; init; }
}

public sealed class UpdateSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
}

/// <summary>
/// UpdateSecret: changes the description and KMS key and, with a value, adds a new AWSCURRENT
/// version. A changed KmsKeyId re-wraps the data keys of the labelled versions, as AWS
/// re-encrypts them. Without a value the response carries no VersionId.
/// </summary>
public sealed class UpdateSecretHandler(OperationDependencies deps) : IOperation<UpdateSecretRequest, UpdateSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<UpdateSecretResponse> ExecuteAsync(UpdateSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        Validate.Description(request.Description);
        Validate.KmsKeyId(request.KmsKeyId);
        var payload = Validate.Value(request.SecretString, request.SecretBinary);
        if (payload is not null && request.ClientRequestToken is null)
        {
            throw AwsErrors.MissingClientRequestToken();
        }

        Validate.Token(request.ClientRequestToken, "clientRequestToken");
        deps.Cipher.ValidateKmsKeyId(request.KmsKeyId);

        var writer = new ValueWriter(deps);
        var record = await new SecretWriter(deps).UpdateAsync(reference, context.Operation, context, async (secret, ct) =>
        {
            if (secret.IsDeleted)
            {
                throw AwsErrors.MarkedForDeletion();
            }

            var rewrapped = await ChangeKeyAsync(secret, request.KmsKeyId, ct);
            if (request.Description is not null)
            {
                secret.Description = request.Description.Length == 0 ? null : request.Description;
            }

            secret.LastChangedDate = deps.Now();
            if (payload is null)
            {
                return new SecretChange(rewrapped, []);
            }

            var added = await writer.AddVersionAsync(secret, request.ClientRequestToken!, payload, [StagingLabels.Current], ct);
            if (added is null)
            {
                // A retry of an update that already stored this version.
                return rewrapped.Count == 0 ? null : new SecretChange(rewrapped, []);
            }

            return new SecretChange([.. rewrapped, .. added.Added], added.Removed);
        }, cancellationToken);

        return new UpdateSecretResponse
        {
            ARN = record.Arn(deps.Options),
            Name = record.Name,
            VersionId = payload is null ? null : request.ClientRequestToken,
        };
    }

    /// <summary>Re-wraps every labelled version's data key under the new key.</summary>
    private async Task<List<StoredVersion>> ChangeKeyAsync(SecretRecord secret, string? kmsKeyId, CancellationToken cancellationToken)
    {
        if (kmsKeyId is null)
        {
            return [];
        }

        var newKey = kmsKeyId.Length == 0 ? null : kmsKeyId;
        if (newKey == secret.KmsKeyId)
        {
            return [];
        }

        secret.KmsKeyId = newKey;
        var rewrapped = new List<StoredVersion>();
        foreach (var (versionId, entry) in secret.Versions)
        {
            if (entry.Stages.Count == 0)
            {
                continue;
            }

            var stored = await deps.Store.GetVersionAsync(secret.Name, versionId, cancellationToken);
            if (stored?.Value is null)
            {
                continue;
            }

            var value = await deps.Cipher.RewrapAsync(stored.Value, newKey, cancellationToken);
            rewrapped.Add(new StoredVersion { VersionId = versionId, CreatedDate = stored.CreatedDate, Value = value, LastAccessedDate = stored.LastAccessedDate });
            if (versionId == secret.CurrentVersionId)
            {
                secret.CurrentValue = value;
            }
        }

        return rewrapped;
    }
}
