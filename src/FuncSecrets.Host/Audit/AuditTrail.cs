using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol;

namespace FuncSecrets.Host.Audit;

/// <summary>
/// Makes the one audit record of an API call, for either protocol: who, from where, what was
/// asked (secret values replaced), and the outcome (the secret's ARN and version, or the error).
/// </summary>
public sealed class AuditTrail(IAuditSink sink, TimeProvider time)
{
    public ValueTask RecordAsync(HttpContext http, string requestId, OperationEntry? operation, CallerIdentity? caller, object? input, object? output, AwsException? error)
    {
        var name = operation?.Name ?? "Unknown";
        var record = new AuditRecord
        {
            EventTime = time.GetUtcNow(),
            EventName = name,
            EventCategory = AuditRecord.CategoryOf(name),
            RequestId = requestId,
            PrincipalArn = caller?.PrincipalArn,
            AccessKeyId = caller?.AccessKeyId,
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(http.Request.Headers.UserAgent.ToString(), 256),
            RequestParameters = operation is null || input is null ? null : AuditRedactor.Redact(JsonSerializer.SerializeToUtf8Bytes(input, operation.RequestInfo)),
            Resource = Member(operation?.ResponseInfo, output, "ARN") ?? Member(operation?.RequestInfo, input, "SecretId") ?? Member(operation?.RequestInfo, input, "Name"),
            VersionId = Member(operation?.ResponseInfo, output, "VersionId"),
            ErrorCode = error?.Code,
            ErrorMessage = error?.Message,
        };
        return sink.WriteAsync(record, http.RequestAborted);
    }

    /// <summary>A string member of a request or response, read through its source-generated metadata.</summary>
    private static string? Member(JsonTypeInfo? info, object? value, string member)
    {
        if (info is null || value is null)
        {
            return null;
        }

        foreach (var property in info.Properties)
        {
            if (property.Name == member && property.Get is { } get)
            {
                return get(value) as string;
            }
        }

        return null;
    }

    private static string? Truncate(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
