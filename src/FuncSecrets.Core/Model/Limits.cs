namespace FuncSecrets.Core.Model;

/// <summary>AWS Secrets Manager's limits, from the service model and the quotas page.</summary>
public static class Limits
{
    public const int NameMaxLength = 512;
    public const int SecretIdMaxLength = 2048;
    public const int DescriptionMaxLength = 2048;
    public const int KmsKeyIdMaxLength = 2048;
    public const int TokenMinLength = 32;
    public const int TokenMaxLength = 64;
    public const int VersionIdMinLength = 32;
    public const int VersionIdMaxLength = 64;
    public const int StageMaxLength = 256;
    public const int MaxStagesPerRequest = 20;
    public const int SecretValueMaxBytes = 65536;
    public const int MaxTags = 50;
    public const int TagKeyMaxLength = 128;
    public const int TagValueMaxLength = 256;
    public const int ResourcePolicyMaxLength = 20480;
    public const int MaxResultsMax = 100;
    public const int BatchMaxResultsMax = 20;
    public const int BatchMaxSecretIds = 20;
    public const int MaxFilters = 10;
    public const int MaxFilterValues = 10;
    public const int FilterValueMaxLength = 512;
    public const int MinRecoveryWindowDays = 7;
    public const int MaxRecoveryWindowDays = 30;
    public const int DefaultRecoveryWindowDays = 30;
}
