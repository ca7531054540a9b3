using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Operations;

/// <summary>
/// The metadata members DescribeSecret returns and ListSecrets repeats per entry (there as
/// <c>SecretVersionsToStages</c>). Absent members stay null and are left out of the JSON.
/// </summary>
public class SecretDescription
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? KmsKeyId { get; init; }
    public bool? RotationEnabled { get; init; }
    public string? RotationLambdaARN { get; init; }
    public RotationRulesShape? RotationRules { get; init; }
    public DateTimeOffset? LastRotatedDate { get; init; }
    public DateTimeOffset? LastChangedDate { get; init; }
    public DateTimeOffset? LastAccessedDate { get; init; }
    public DateTimeOffset? DeletedDate { get; init; }
    public DateTimeOffset? NextRotationDate { get; init; }
    public List<Tag>? Tags { get; init; }
    public string? OwningService { get; init; }
    public DateTimeOffset? CreatedDate { get; init; }
    public string? PrimaryRegion { get; init; }
}

/// <summary>RotationRules on the wire.</summary>
public sealed class RotationRulesShape
{
    public long? AutomaticallyAfterDays { get; init; }
    public string? Duration { get; init; }
    public string? ScheduleExpression { get; init; }

    public static RotationRulesShape? From(RotationRules? rules) => rules is null
        ? null
        : new RotationRulesShape { AutomaticallyAfterDays = rules.AutomaticallyAfterDays, Duration = rules.Duration, ScheduleExpression = rules.ScheduleExpression };
}
