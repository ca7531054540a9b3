namespace FuncSecrets.Core.Auth.Policy;

/// <summary>
/// The request as a policy sees it: who, what, on which resource, and the condition keys
/// (<c>aws:SourceIp</c>, <c>aws:PrincipalArn</c>, <c>aws:ResourceTag/...</c>, ...). Condition key
/// names compare case-insensitively, as IAM's do.
/// </summary>
internal sealed class PolicyContext
{
    public const string SourceIpKey = "aws:SourceIp";
    public const string PrincipalArnKey = "aws:PrincipalArn";
    public const string PrincipalAccountKey = "aws:PrincipalAccount";
    public const string SecretIdKey = "secretsmanager:SecretId";
    public const string AwsResourceTagPrefix = "aws:ResourceTag/";
    public const string ServiceResourceTagPrefix = "secretsmanager:ResourceTag/";

    private readonly Dictionary<string, List<string>> _keys = new(StringComparer.OrdinalIgnoreCase);

    public PolicyContext(string principalArn, string action, string resource)
    {
        PrincipalArn = principalArn;
        Action = action;
        Resource = resource;
        Add(PrincipalArnKey, principalArn);
        if (Arn.AccountOf(principalArn) is { } account)
        {
            Add(PrincipalAccountKey, account);
        }
    }

    public string PrincipalArn { get; }

    public string Action { get; }

    public string Resource { get; }

    public void Add(string key, string value)
    {
        if (!_keys.TryGetValue(key, out var values))
        {
            values = [];
            _keys.Add(key, values);
        }

        values.Add(value);
    }

    /// <summary>The values of a condition key, or null when the request has no such key.</summary>
    public IReadOnlyList<string>? Get(string key) => _keys.TryGetValue(key, out var values) ? values : null;
}

/// <summary>The few ARN facts principal matching needs.</summary>
internal static class Arn
{
    /// <summary>The 12-digit account of an ARN (its fifth part), or null.</summary>
    public static string? AccountOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[4].Length > 0 ? parts[4] : null;
    }

    /// <summary>The partition of an ARN (its second part), or null.</summary>
    public static string? PartitionOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" ? parts[1] : null;
    }

    /// <summary>True for <c>arn:{partition}:iam::{account}:root</c>.</summary>
    public static bool IsRoot(string arn) =>
        arn.Split(':', 6) is [_, _, "iam", "", _, "root"];
}
