using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class GetSecretValueRequest
{
    public string? SecretId { get; init; }
    public string? VersionId { get; init; }
    public string? VersionStage { get; init; }
}

public sealed class GetSecretValueResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
    public byte[]? SecretBinary { get; init; }
    public string? SecretString { get; init; }
    public List<string>? VersionStages { get; init; }
    public DateTimeOffset? CreatedDate { get; init; }
}

/// <summary>
/// GetSecretValue: the value of the version named by VersionId or VersionStage (AWSCURRENT by
/// default). AWSCURRENT is served from the metadata row's copy: one storage read.
/// </summary>
public sealed class GetSecretValueHandler(OperationDependencies deps, AccessRecorder accessRecorder) : IOperation<GetSecretValueRequest, GetSecretValueResponse>
{
    private readonly SecretAccess _access = new(deps);
    private readonly SecretValueReader _reader = new(deps, accessRecorder);

    public async Task<GetSecretValueResponse> ExecuteAsync(GetSecretValueRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        Validate.Token(request.VersionId, "versionId");
        Validate.Length(request.VersionStage, "versionStage", 1, Limits.StageMaxLength);
        var record = await _access.LoadAsync(reference, context.Operation, context, cancellationToken);
        return await _reader.ReadAsync(record, request.VersionId, request.VersionStage, cancellationToken);
    }
}
