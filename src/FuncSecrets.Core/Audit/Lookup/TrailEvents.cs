using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncSecrets.Core.Audit.Lookup;

/// <summary>
/// An audit record as CloudTrail's <c>LookupEvents</c> shows it: the summary members and the
/// full event as a JSON string in <c>CloudTrailEvent</c> (CloudTrail's record format, version
/// 1.08). The record never held a secret value, so neither does the event.
/// </summary>
public static class TrailEvents
{
    public const string SecretsManagerSource = "secretsmanager.amazonaws.com";
    public const string CloudTrailSource = "cloudtrail.amazonaws.com";
    public const string SecretResourceType = "AWS::SecretsManager::Secret";

    public static TrailEvent From(AuditRecord record, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(options);
        var resources = record.Resource is { } resource
            ? new List<TrailResource> { new() { ResourceType = SecretResourceType, ResourceName = resource } }
            : [];
        return new TrailEvent
        {
            EventId = record.RequestId,
            EventName = record.EventName,
            ReadOnly = IsReadOnly(record.EventName) ? "true" : "false",
            AccessKeyId = record.AccessKeyId,
            EventTime = record.EventTime,
            EventSource = SourceOf(record.EventName),
            Username = record.PrincipalArn is { } arn ? UserName(arn) : null,
            Resources = resources,
            CloudTrailEvent = EventJson(record, options),
        };
    }

    /// <summary>Calls that change nothing: CloudTrail's <c>readOnly</c>.</summary>
    public static bool IsReadOnly(string eventName) =>
        eventName.StartsWith("Get", StringComparison.Ordinal)
        || eventName.StartsWith("List", StringComparison.Ordinal)
        || eventName.StartsWith("Describe", StringComparison.Ordinal)
        || eventName is "BatchGetSecretValue" or "ValidateResourcePolicy" or "LookupEvents";

    /// <summary>
    /// The rotation's own events (RotationStarted, RotationSucceeded, …), which the service records
    /// as itself: CloudTrail shows them as <c>AwsServiceEvent</c>s invoked by Secrets Manager.
    /// </summary>
    public static bool IsServiceEvent(AuditRecord record) =>
        record.PrincipalArn is null && record.EventName.StartsWith("Rotation", StringComparison.Ordinal);

    public static string SourceOf(string eventName) => eventName == "LookupEvents" ? CloudTrailSource : SecretsManagerSource;

    /// <summary>The name part of a principal ARN (<c>user/app/alice</c> → <c>alice</c>, <c>:root</c> → <c>root</c>).</summary>
    public static string UserName(string principalArn)
    {
        var cut = principalArn.LastIndexOfAny(['/', ':']);
        return cut >= 0 && cut < principalArn.Length - 1 ? principalArn[(cut + 1)..] : principalArn;
    }

    private static string EventJson(AuditRecord record, ServiceOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteEvent(json, record, options);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes one record as a CloudTrail event object (the shape of a log file's <c>Records</c> entries).</summary>
    public static void WriteEvent(Utf8JsonWriter json, AuditRecord record, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(options);
        {
            json.WriteStartObject();
            json.WriteString("eventVersion", "1.08");
            var serviceEvent = IsServiceEvent(record);
            json.WriteStartObject("userIdentity");
            json.WriteString("type", serviceEvent ? "AWSService" : record.PrincipalArn is null ? "Anonymous" : record.PrincipalArn.EndsWith(":root", StringComparison.Ordinal) ? "Root" : "IAMUser");
            WriteOptional(json, "invokedBy", serviceEvent ? SecretsManagerSource : null);
            WriteOptional(json, "arn", record.PrincipalArn);
            json.WriteString("accountId", options.AccountId);
            WriteOptional(json, "accessKeyId", record.AccessKeyId);
            WriteOptional(json, "userName", record.PrincipalArn is { } arn ? UserName(arn) : null);
            json.WriteEndObject();
            json.WriteString("eventTime", record.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("eventSource", SourceOf(record.EventName));
            json.WriteString("eventName", record.EventName);
            json.WriteString("awsRegion", options.Region);
            WriteOptional(json, "sourceIPAddress", record.SourceIp);
            WriteOptional(json, "userAgent", record.UserAgent);
            WriteOptional(json, "errorCode", record.ErrorCode);
            WriteOptional(json, "errorMessage", record.ErrorMessage);
            json.WritePropertyName("requestParameters");
            WriteParameters(json, record.RequestParameters);
            json.WritePropertyName("responseElements");
            if (record.ErrorCode is null && (record.Resource is not null || record.VersionId is not null))
            {
                json.WriteStartObject();
                WriteOptional(json, "arn", record.Resource);
                WriteOptional(json, "versionId", record.VersionId);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNullValue();
                if (record.VersionId is not null)
                {
                    // A failed call about one version (a rotation step): the version goes where
                    // CloudTrail puts what is neither request nor response.
                    json.WriteStartObject("additionalEventData");
                    json.WriteString("versionId", record.VersionId);
                    json.WriteEndObject();
                }
            }

            json.WriteString("requestID", record.RequestId);
            json.WriteString("eventID", record.RequestId);
            json.WriteBoolean("readOnly", IsReadOnly(record.EventName));
            if (record.Resource is not null)
            {
                json.WriteStartArray("resources");
                json.WriteStartObject();
                json.WriteString("ARN", record.Resource);
                json.WriteString("accountId", options.AccountId);
                json.WriteString("type", SecretResourceType);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteString("eventType", serviceEvent ? "AwsServiceEvent" : "AwsApiCall");
            json.WriteBoolean("managementEvent", record.EventCategory != "Data");
            json.WriteString("recipientAccountId", options.AccountId);
            json.WriteString("eventCategory", record.EventCategory);
            json.WriteEndObject();
        }
    }

    /// <summary>The stored parameters (redacted when recorded) as a JSON object, or null when unreadable.</summary>
    private static void WriteParameters(Utf8JsonWriter json, string? parameters)
    {
        JsonNode? node = null;
        if (parameters is not null)
        {
            try
            {
                node = JsonNode.Parse(parameters);
            }
            catch (JsonException)
            {
                node = null;
            }
        }

        if (node is JsonObject)
        {
            node.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
