namespace FuncSecrets.Core;

/// <summary>Where this service pretends to live: the region and account in every ARN.</summary>
public sealed class ServiceOptions
{
    public const string SectionName = "FuncSecrets";

    public string Region { get; set; } = "us-east-1";

    public string AccountId { get; set; } = "123456789012";

    /// <summary>The partition in ARNs (aws, aws-cn, aws-us-gov).</summary>
    public string Partition { get; set; } = "aws";
}
