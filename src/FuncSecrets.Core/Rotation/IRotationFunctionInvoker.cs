namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Calls a secret's rotation function: the seam between the rotation state machine and whatever
/// transport reaches the function (HTTPS in the host). The function is named by the secret's
/// <c>RotationLambdaARN</c>: an https URL given directly, or a Lambda ARN that configuration maps
/// to a URL. Implementations bound each call in time and retry transient failures themselves.
/// </summary>
public interface IRotationFunctionInvoker
{
    /// <summary>
    /// Whether <paramref name="function"/> names a function this deployment may call (an allowed
    /// URL, or an ARN mapped in configuration). RotateSecret refuses the others as AWS refuses a
    /// Lambda function it cannot invoke. Cheap: no network.
    /// </summary>
    bool CanInvoke(string function);

    /// <summary>Sends one step's event to the function and reports how it ended. Never throws for a failed step.</summary>
    Task<RotationStepResult> InvokeAsync(string function, RotationEvent rotationEvent, CancellationToken cancellationToken);
}

/// <summary>
/// The event an AWS rotation Lambda receives, member for member:
/// <c>{"SecretId":"&lt;arn&gt;","ClientRequestToken":"&lt;token&gt;","Step":"createSecret"}</c>.
/// </summary>
public sealed record RotationEvent(string SecretId, string ClientRequestToken, string Step);

/// <summary>The four steps of AWS's rotation protocol, in the order they run.</summary>
public static class RotationSteps
{
    public const string CreateSecret = "createSecret";
    public const string SetSecret = "setSecret";
    public const string TestSecret = "testSecret";
    public const string FinishSecret = "finishSecret";

    public static IReadOnlyList<string> All { get; } = [CreateSecret, SetSecret, TestSecret, FinishSecret];
}

/// <summary>How a step ended.</summary>
public enum RotationStepStatus
{
    /// <summary>The function answered 2xx.</summary>
    Succeeded,

    /// <summary>The function answered, with a failure status.</summary>
    Failed,

    /// <summary>The function did not answer within the step's time limit.</summary>
    TimedOut,

    /// <summary>The function could not be reached at all (connection refused, no such host, TLS failure).</summary>
    Unreachable,
}

/// <summary>
/// The outcome of one step. <see cref="Detail"/> is for logs: a status code or a failure class,
/// never a response body (a function's error text may quote a secret).
/// </summary>
public sealed record RotationStepResult(RotationStepStatus Status, int? HttpStatus = null, string? Detail = null)
{
    public static RotationStepResult Success { get; } = new(RotationStepStatus.Succeeded);

    public bool Succeeded => Status == RotationStepStatus.Succeeded;
}
