using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class RotateSecretRequest
{
    public string? SecretId { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? RotationLambdaARN { get; init; }
    public RotationRulesShape? RotationRules { get; init; }
    public List<ExternalSecretRotationMetadataItem>? ExternalSecretRotationMetadata { get; init; }
    public string? ExternalSecretRotationRoleArn { get; init; }
    public bool? RotateImmediately { get; init; }
}

/// <summary>One key/value pair of a managed external secret's rotation metadata.</summary>
public sealed class ExternalSecretRotationMetadataItem
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

public sealed class RotateSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
}

/// <summary>
/// RotateSecret: stores the rotation settings (function, schedule) and starts a rotation to a new
/// version whose id is the ClientRequestToken: the version is announced with AWSPENDING, then the
/// rotation function runs createSecret, setSecret, testSecret and finishSecret. With
/// RotateImmediately=false only testSecret runs, to check the configuration, and the rotation
/// waits for its window. Without settings, rotation runs (and is turned back on) with the stored
/// ones. Refused while another rotation is in progress (AWSPENDING on a version that is not
/// AWSCURRENT). See <see cref="RotationRunner"/> for what runs before the answer.
/// </summary>
public sealed class RotateSecretHandler(OperationDependencies deps, RotationRunner runner) : IOperation<RotateSecretRequest, RotateSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<RotateSecretResponse> ExecuteAsync(RotateSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);

        // An idempotency token: SDKs fill it in, a raw request without one is refused before
        // the secret is even looked up (with InvalidParameterException, unlike Create/Put/Update).
        var token = request.ClientRequestToken ?? throw AwsErrors.MissingClientRequestToken(AwsErrorCodes.InvalidParameter);
        Validate.Token(token, "clientRequestToken");
        Validate.Length(request.RotationLambdaARN, "rotationLambdaARN", 0, 2048);
        Validate.Length(request.ExternalSecretRotationRoleArn, "externalSecretRotationRoleArn", 20, 2048);
        var rules = request.RotationRules is { } shape ? new RotationRules(shape.AutomaticallyAfterDays, shape.Duration, shape.ScheduleExpression) : null;
        var schedule = RotationSchedule.Parse(rules);

        var secret = await _access.LoadAsync(reference, context.Operation, context, cancellationToken);

        // Refused here too (the writer and BeginRotation refuse again under the ETag) so the answer
        // comes before the rotation function is looked at, as AWS orders its checks; moto's
        // test_update_replica records the replica refusal.
        var aggregate = new Secret(secret, deps.Options);
        aggregate.EnsureNotReplica();
        aggregate.EnsureNotDeleted();
        var function = string.IsNullOrEmpty(request.RotationLambdaARN) ? secret.RotationLambdaArn : request.RotationLambdaARN;
        if (string.IsNullOrEmpty(function))
        {
            throw AwsErrors.NoRotationFunction();
        }

        if (!runner.CanInvoke(function))
        {
            throw AwsErrors.CannotInvokeRotationFunction();
        }

        var stored = rules is null ? null : schedule?.Describe(rules) ?? rules;
        await runner.StartAsync(secret, token, function, stored, request.RotateImmediately ?? true, context, cancellationToken);
        return new RotateSecretResponse { ARN = secret.Arn(deps.Options), Name = secret.Name, VersionId = token };
    }
}
