using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class CancelRotateSecretRequest
{
    public string? SecretId { get; init; }
}

public sealed class CancelRotateSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
}

/// <summary>
/// CancelRotateSecret: turns automatic rotation off and stops a rotation in progress (its lease
/// is released, so no further step runs). As AWS documents, the labels stay as they are: the
/// answer's VersionId names the version the rotation was creating, which still carries
/// AWSPENDING; the caller removes that label (UpdateSecretVersionStage) before rotating again,
/// or resumes the rotation with RotateSecret and the same ClientRequestToken. The function and
/// schedule stay stored, so RotateSecret with no settings turns rotation back on.
/// </summary>
public sealed class CancelRotateSecretHandler(OperationDependencies deps) : IOperation<CancelRotateSecretRequest, CancelRotateSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<CancelRotateSecretResponse> ExecuteAsync(CancelRotateSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        string? pending = null;
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => pending = secret.CancelRotation(deps.Now()), cancellationToken);

        RotationLog.Cancelled(deps.LoggerFactory.CreateLogger("FuncSecrets.Rotation"), record.Name, pending);
        return new CancelRotateSecretResponse { ARN = record.Arn(deps.Options), Name = record.Name, VersionId = pending };
    }
}
