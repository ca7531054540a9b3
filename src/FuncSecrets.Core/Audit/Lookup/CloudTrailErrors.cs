using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Audit.Lookup;

/// <summary>
/// CloudTrail's error codes for <c>LookupEvents</c> (its model's error list). AWS's texts for
/// these are not on public record; the codes are AWS's, the messages ours.
/// </summary>
public static class CloudTrailErrors
{
    public const string InvalidLookupAttributesCode = "InvalidLookupAttributesException";
    public const string InvalidTimeRangeCode = "InvalidTimeRangeException";
    public const string InvalidMaxResultsCode = "InvalidMaxResultsException";
    public const string InvalidEventCategoryCode = "InvalidEventCategoryException";

    public static AwsException InvalidLookupAttributes(string message) => new(InvalidLookupAttributesCode, message);

    public static AwsException InvalidTimeRange() =>
        new(InvalidTimeRangeCode, "Start time must be earlier than or equal to end time, and within the last 90 days.");

    public static AwsException InvalidMaxResults() => new(InvalidMaxResultsCode, "MaxResults must be between 1 and 50.");

    public static AwsException InvalidEventCategory() =>
        new(InvalidEventCategoryCode, "EventCategory must be insight.");
}
