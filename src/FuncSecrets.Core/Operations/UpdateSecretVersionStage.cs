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

    public async Task<UpdateSecretVersionStageResponse> ExecuteAsync(UpdateSecretVersionStageRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var stage = Validate.Required(request.VersionStage, "versionStage");
        Validate.Length(stage, "versionStage", 1, Limits.StageMaxLength);
        Validate.Token(request.RemoveFromVersionId, "removeFromVersionId");
        Validate.Token(request.MoveToVersionId, "moveToVersionId");

        var record = await new SecretChangeWriter(deps).UpdateAsync(
            reference,
            context,
            secret => secret.MoveLabel(stage, request.RemoveFromVersionId, request.MoveToVersionId, deps.Now()),
            cancellationToken);

        return new UpdateSecretVersionStageResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
