using System.Globalization;
using System.Text.Json;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// Reads an audit record back from a CloudTrail event object, as written by
/// <see cref="Lookup.TrailEvents.WriteEvent"/>. The files may have been touched by anyone with
/// access to the container, so every member is optional and checked for its JSON type; an event
/// without a time, name or request id is not an audit record and yields null.
/// </summary>
public static class CloudTrailRecords
{
    public static AuditRecord? Read(JsonElement trailEvent)
    {
        if (trailEvent.ValueKind != JsonValueKind.Object
            || Text(trailEvent, "eventTime") is not { } time
            || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var eventTime)
            || Text(trailEvent, "eventName") is not { } eventName
            || Text(trailEvent, "requestID") is not { } requestId)
        {
            return null;
        }

        var identity = Member(trailEvent, "userIdentity", JsonValueKind.Object);
        var parameters = Member(trailEvent, "requestParameters", JsonValueKind.Object);
        var response = Member(trailEvent, "responseElements", JsonValueKind.Object);
        string? resource = null;
        if (Member(trailEvent, "resources", JsonValueKind.Array) is { } resources && resources.GetArrayLength() > 0)
        {
            resource = Text(resources[0], "ARN");
        }

        var category = Text(trailEvent, "eventCategory")
            ?? (Member(trailEvent, "managementEvent", JsonValueKind.False) is not null ? "Data" : "Management");
        return new AuditRecord
        {
            EventTime = eventTime,
            EventName = eventName,
            RequestId = requestId,
            EventCategory = category,
            PrincipalArn = identity is { } who ? Text(who, "arn") : null,
            AccessKeyId = identity is { } key ? Text(key, "accessKeyId") : null,
            SourceIp = Text(trailEvent, "sourceIPAddress"),
            UserAgent = Text(trailEvent, "userAgent"),
            RequestParameters = parameters?.GetRawText(),
            Resource = resource ?? (response is { } arn ? Text(arn, "arn") : null),
            VersionId = (response is { } version ? Text(version, "versionId") : null)
                ?? (Member(trailEvent, "additionalEventData", JsonValueKind.Object) is { } extra ? Text(extra, "versionId") : null),
            ErrorCode = Text(trailEvent, "errorCode"),
            ErrorMessage = Text(trailEvent, "errorMessage"),
        };
    }

    private static JsonElement? Member(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    private static string? Text(JsonElement element, string name) =>
        Member(element, name, JsonValueKind.String)?.GetString();
}
