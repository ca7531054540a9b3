using FuncSecrets.Core.Audit.Lookup;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Audit;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol.CloudTrail;

/// <summary>
/// CloudTrail's JSON 1.1 API, reduced to the one call that reads the audit trail (issue 16):
/// <c>POST /</c> with <c>X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents</c>,
/// signed for the service <c>cloudtrail</c>, as <c>aws cloudtrail lookup-events --endpoint-url …</c>
/// and the web console send it. Logged, audited and classified like every other call.
/// </summary>
public sealed class CloudTrailFrontDoor(IRequestAuthenticator authenticator, AuditTrail audit, ILogger<CloudTrailFrontDoor> logger)
{
    public const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    /// <summary>The SigV4 signing name of CloudTrail.</summary>
    public const string SigningName = "cloudtrail";

    /// <summary>A lookup request is a few hundred bytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly OperationEntry LookupEvents = new(
        "LookupEvents",
        typeof(LookupEventsHandler),
        CloudTrailJsonContext.Wire.LookupEventsRequest,
        CloudTrailJsonContext.Wire.LookupEventsResponse,
        async (services, request, context, cancellationToken) =>
            await services.GetRequiredService<LookupEventsHandler>().ExecuteAsync((LookupEventsRequest)request, context, cancellationToken));

    public static bool Accepts(string target) => target.StartsWith(TargetPrefix, StringComparison.Ordinal);

    public Task HandleAsync(HttpContext context, string target) =>
        FrontDoorCall.RunAsync(context, logger, audit, "UnknownOperation", call => AnswerAsync(call, target), ErrorWriter.WriteJsonAsync);

    private Task AnswerAsync(FrontDoorCall call, string target) =>
        string.Equals(target, TargetPrefix + LookupEvents.Name, StringComparison.Ordinal)
            ? JsonFrontDoor.AnswerAsync(call, LookupEvents, authenticator, MaxBodyBytes)
            : throw AwsErrors.UnknownOperation();
}
