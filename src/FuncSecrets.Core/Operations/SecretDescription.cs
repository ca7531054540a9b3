using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Operations;

/// <summary>
/// The metadata members DescribeSecret returns and ListSecrets repeats per entry (there as
/// <c>SecretVersionsToStages</c>). Absent members stay null and are left out of the JSON.
/// </summary>
public class SecretDescription
{
    public string? ARN { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? KmsKeyId { get; set; }
    public bool? RotationEnabled { get; set; }
    public string? RotationLambdaARN { get; set; }
    public RotationRulesShape? RotationRules { get; set; }
    public DateTimeOffset? LastRotatedDate { get; set; }
    public DateTimeOffset? LastChangedDate { get; set; }
    public DateTimeOffset? LastAccessedDate { get; set; }
    public DateTimeOffset? DeletedDate { get; set; }
    public DateTimeOffset? NextRotationDate { get; set; }
    public List<Tag>? Tags { get; set; }
    public string? OwningService { get; set; }
    public DateTimeOffset? CreatedDate { get; set; }
    public string? PrimaryRegion { get; set; }

    /// <summary>Fills the members DescribeSecret and ListSecrets share from a stored secret.</summary>
    protected void Fill(SecretRecord record, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(record);
        ARN = record.Arn(options);
        Name = record.Name;
        Description = record.Description;
        KmsKeyId = record.KmsKeyId;
        RotationEnabled = record.RotationEnabled;
        RotationLambdaARN = record.RotationLambdaArn;
        RotationRules = RotationRulesShape.From(record.RotationRules);
        LastRotatedDate = record.LastRotatedDate;
        LastChangedDate = record.LastChangedDate;
        LastAccessedDate = record.LastAccessedDate;
        DeletedDate = record.DeletedDate;
        NextRotationDate = record.RotationEnabled == true ? record.NextRotationDate : null;
        Tags = record.Tags?.ToList();
        CreatedDate = record.CreatedDate;
        PrimaryRegion = record.PrimaryRegion;
    }

    /// <summary>Version id → labels (sorted, as AWS sends them) for the versions that have labels; null without versions.</summary>
    protected static Dictionary<string, List<string>>? StagesMap(SecretRecord record) =>
        record.Versions.Count == 0
            ? null
            : record.Versions
                .Where(p => p.Value.Stages.Count > 0)
                .ToDictionary(p => p.Key, p => StagingLabels.Sorted(p.Value.Stages), StringComparer.Ordinal);
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
