namespace FuncSecrets.Core.Audit;

/// <summary>
/// One API call, modelled on a CloudTrail event. Never holds a secret value: request parameters
/// are redacted before a record is made (<see cref="AuditRedactor"/>).
/// </summary>
public sealed record AuditRecord
{
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The operation, e.g. <c>GetSecretValue</c>.</summary>
    public required string EventName { get; init; }

    public required string RequestId { get; init; }

    /// <summary>"Data" for calls that read or write a secret value (AWS's data events), else "Management".</summary>
    public required string EventCategory { get; init; }

    public string? PrincipalArn { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SourceIp { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The request's members as JSON, with every secret value replaced.</summary>
    public string? RequestParameters { get; init; }

    /// <summary>The secret the call was about: its ARN when known, else the SecretId as given.</summary>
    public string? Resource { get; init; }

    public string? VersionId { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public static string CategoryOf(string operation) => operation switch
    {
        "GetSecretValue" or "BatchGetSecretValue" or "PutSecretValue" or "CreateSecret" or "UpdateSecret" or "RotateSecret" => "Data",
        _ => "Management",
    };
}
