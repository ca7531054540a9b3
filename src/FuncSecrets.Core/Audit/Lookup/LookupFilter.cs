namespace FuncSecrets.Core.Audit.Lookup;

/// <summary>
/// The one lookup attribute CloudTrail allows, as a filter over audit records. A
/// <c>ResourceName</c> matches a secret by name, full ARN or partial ARN (<see cref="AuditMatch"/>);
/// a <c>Username</c> matches the principal's name or its whole ARN; the rest match exactly.
/// </summary>
public static class LookupFilter
{
    public const int MaxValueLength = 2000;

    public static Func<AuditRecord, bool> From(IReadOnlyList<LookupAttribute>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return static _ => true;
        }

        if (attributes.Count > 1)
        {
            throw CloudTrailErrors.InvalidLookupAttributes("You can specify only one lookup attribute.");
        }

        var key = attributes[0].AttributeKey;
        var value = attributes[0].AttributeValue;
        if (string.IsNullOrEmpty(value) || value.Length > MaxValueLength)
        {
            throw CloudTrailErrors.InvalidLookupAttributes($"AttributeValue must be 1 to {MaxValueLength} characters long.");
        }

        return key switch
        {
            "ResourceName" => record => AuditMatch.IsAbout(record, value),
            "EventName" => record => string.Equals(record.EventName, value, StringComparison.Ordinal),
            "EventId" => record => string.Equals(record.RequestId, value, StringComparison.Ordinal),
            "AccessKeyId" => record => string.Equals(record.AccessKeyId, value, StringComparison.Ordinal),
            "Username" => record => record.PrincipalArn is { } arn
                && (string.Equals(arn, value, StringComparison.Ordinal) || string.Equals(TrailEvents.UserName(arn), value, StringComparison.Ordinal)),
            "ReadOnly" => record => string.Equals(TrailEvents.IsReadOnly(record.EventName) ? "true" : "false", value, StringComparison.OrdinalIgnoreCase),
            "EventSource" => record => string.Equals(TrailEvents.SourceOf(record.EventName), value, StringComparison.Ordinal),
            "ResourceType" => record => record.Resource is not null && string.Equals(TrailEvents.SecretResourceType, value, StringComparison.Ordinal),
            _ => throw CloudTrailErrors.InvalidLookupAttributes(
                "AttributeKey must be one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId."),
        };
    }
}
