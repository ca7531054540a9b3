using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class RestoreSecretRequest
{
    public string? SecretId { get; init; }
}

public sealed class RestoreSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
}

/// <summary>RestoreSecret: cancels a scheduled deletion. A secret that is not scheduled is left as it is.</summary>
public sealed class RestoreSecretHandler(OperationDependencies deps) : IOperation<RestoreSecretRequest, RestoreSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<RestoreSecretResponse> ExecuteAsync(RestoreSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.Restore(), cancellationToken);

        return new RestoreSecretResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
