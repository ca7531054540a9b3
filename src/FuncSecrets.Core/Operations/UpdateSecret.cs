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

        var value = payload is null ? null : new NewValue(deps, request.ClientRequestToken!, payload, request.KmsKeyId);
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, async (secret, ct) =>
        {
            secret.EnsureNotDeleted();
            var now = deps.Now();
            var rewrapped = await RewrapAsync(secret, request.KmsKeyId, ct);
            var version = value is null ? null : await value.PrepareAsync(secret, now, ct);
            secret.Update(request.Description, request.KmsKeyId, rewrapped, version, now);
        }, cancellationToken);

        return new UpdateSecretResponse
        {
            ARN = record.Arn(deps.Options),
            Name = record.Name,
            VersionId = payload is null ? null : request.ClientRequestToken,
        };
    }

    /// <summary>The labelled versions, their data keys re-wrapped under the key the update leaves.</summary>
    private async Task<List<StoredVersion>> RewrapAsync(Secret secret, string? kmsKeyId, CancellationToken cancellationToken)
    {
        var newKey = secret.KmsKeyIdAfterUpdate(kmsKeyId);
        var rewrapped = new List<StoredVersion>();
        foreach (var versionId in secret.VersionsToRewrap(kmsKeyId))
        {
            var stored = await deps.Store.GetVersionAsync(secret.Name, versionId, cancellationToken);
            if (stored?.Value is null)
            {
                continue;
            }

            var value = await deps.Cipher.RewrapAsync(stored.Value, newKey, cancellationToken);
            rewrapped.Add(new StoredVersion { VersionId = versionId, CreatedDate = stored.CreatedDate, Value = value, LastAccessedDate = stored.LastAccessedDate });
        }

        return rewrapped;
    }
}
