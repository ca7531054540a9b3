using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class PutSecretValueRequest
{
    public string? SecretId { get; init; }
    public string? ClientRequestToken { get; init; }
    public byte[]? SecretBinary { get; init; }
    public string? SecretString { get; init; }
    public List<string>? VersionStages { get; init; }
    public string? RotationToken { get; init; }
}

public sealed class PutSecretValueResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
    public List<string>? VersionStages { get; init; }
}

/// <summary>
/// PutSecretValue: a new version. Without VersionStages it becomes AWSCURRENT (the old current
/// version becomes AWSPREVIOUS); with VersionStages only the labels named move to it.
/// </summary>
public sealed class PutSecretValueHandler(OperationDependencies deps) : IOperation<PutSecretValueRequest, PutSecretValueResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<PutSecretValueResponse> ExecuteAsync(PutSecretValueRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var token = request.ClientRequestToken ?? throw AwsErrors.MissingClientRequestToken();
        Validate.Token(token, "clientRequestToken");
        Validate.Stages(request.VersionStages);
        var payload = Validate.Value(request.SecretString, request.SecretBinary) ?? throw AwsErrors.MissingSecretValue();
        var stages = request.VersionStages ?? [StagingLabels.Current];

        var value = new NewValue(deps, token, payload);
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, async (secret, ct) =>
        {
            secret.EnsureNotDeleted();
            var now = deps.Now();
            secret.AddVersion(await value.PrepareAsync(secret, now, ct), stages, now);
        }, cancellationToken);

        return new PutSecretValueResponse
        {
            ARN = record.Arn(deps.Options),
            Name = record.Name,
            VersionId = token,
            VersionStages = record.Versions.TryGetValue(token, out var entry) ? StagingLabels.Sorted(entry.Stages) : [],
        };
    }
}
