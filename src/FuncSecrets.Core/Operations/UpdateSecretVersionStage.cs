using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class UpdateSecretVersionStageRequest
{
    public string? SecretId { get; init; }
    public string? VersionStage { get; init; }
    public string? RemoveFromVersionId { get; init; }
    public string? MoveToVersionId { get; init; }
}

public sealed class UpdateSecretVersionStageResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
}

/// <summary>
/// UpdateSecretVersionStage: moves a staging label to a version (MoveToVersionId) and/or
/// removes it from one (RemoveFromVersionId). A label attached elsewhere must be named in
/// RemoveFromVersionId; moving AWSCURRENT makes the old current version AWSPREVIOUS.
/// </summary>
public sealed class UpdateSecretVersionStageHandler(OperationDependencies deps) : IOperation<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>
{
    private readonly SecretAccess _access = new(deps);
    private readonly VersionFactory _versions = new(deps);

    public async Task<UpdateSecretVersionStageResponse> ExecuteAsync(UpdateSecretVersionStageRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var stage = Validate.Required(request.VersionStage, "versionStage");
        Validate.Length(stage, "versionStage", 1, Limits.StageMaxLength);
        Validate.Token(request.RemoveFromVersionId, "removeFromVersionId");
        Validate.Token(request.MoveToVersionId, "moveToVersionId");

        var record = await new SecretWriter(deps).UpdateAsync(reference, context.Operation, context, async (secret, ct) =>
        {
            if (secret.IsDeleted)
            {
                throw AwsErrors.MarkedForDeletion();
            }

            var previousCurrent = secret.CurrentVersionId;
            StagingLabels.MoveStage(secret, stage, request.RemoveFromVersionId, request.MoveToVersionId);
            var removed = StagingLabels.TrimDeprecated(secret);
            secret.LastChangedDate = deps.Now();
            await _versions.RefreshCurrentAsync(secret, previousCurrent, [], ct);
            return new SecretChange([], removed);
        }, cancellationToken);

        return new UpdateSecretVersionStageResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
