namespace FuncSecrets.Core.Audit.Lookup;

// The shapes of CloudTrail's LookupEvents (botocore cloudtrail/2013-11-01 service-2.json).

public sealed class LookupEventsRequest
{
    public List<LookupAttribute>? LookupAttributes { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public string? EventCategory { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed class LookupAttribute
{
    public string? AttributeKey { get; init; }
    public string? AttributeValue { get; init; }
}

public sealed class LookupEventsResponse
{
    public required List<TrailEvent> Events { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>CloudTrail's <c>Event</c> shape (named apart from .NET's events).</summary>
public sealed class TrailEvent
{
    public required string EventId { get; init; }
    public required string EventName { get; init; }
    public required string ReadOnly { get; init; }
    public string? AccessKeyId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string EventSource { get; init; }
    public string? Username { get; init; }
    public required List<TrailResource> Resources { get; init; }
    public required string CloudTrailEvent { get; init; }
}

public sealed class TrailResource
{
    public string? ResourceType { get; init; }
    public string? ResourceName { get; init; }
}
