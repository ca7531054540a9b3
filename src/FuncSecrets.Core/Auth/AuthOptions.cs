namespace FuncSecrets.Core.Auth;

/// <summary>
/// Authentication settings, bound from the <c>FuncSecrets:Auth</c> section. The list binds from
/// JSON or from flat keys, so environment variables and Azure app settings (Key Vault references
/// included) work as-is:
/// <code>
/// FuncSecrets__Auth__AccessKeys__0__AccessKeyId=AKIA...
/// FuncSecrets__Auth__AccessKeys__0__SecretAccessKey=@Microsoft.KeyVault(SecretUri=...)
/// FuncSecrets__Auth__AccessKeys__0__PrincipalArn=arn:aws:iam::123456789012:user/alice
/// FuncSecrets__Auth__AccessKeys__0__Policy={"Version":"2012-10-17","Statement":[...]}
/// </code>
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "FuncSecrets:Auth";

    /// <summary>SigV4 verification of every request. Off only for local experiments.</summary>
    public bool Enabled { get; set; } = true;

    public List<AccessKeyOptions> AccessKeys { get; set; } = [];

    /// <summary>
    /// Whether the host the client signed may be taken from <c>X-Forwarded-Host</c>: true always,
    /// false never, unset (the default) only when the request comes from a loopback address, as
    /// it does when the Functions host forwards it to this custom handler.
    /// </summary>
    public bool? TrustForwardedHost { get; set; }
}

/// <summary>One access key pair and what it may do.</summary>
public sealed class AccessKeyOptions
{
    public string AccessKeyId { get; set; } = string.Empty;

    public string SecretAccessKey { get; set; } = string.Empty;

    /// <summary>When set, requests must carry this value as <c>X-Amz-Security-Token</c> (temporary credentials).</summary>
    public string? SessionToken { get; set; }

    /// <summary>The caller's ARN in error messages and policies. Default: the account root, <c>arn:aws:iam::{AccountId}:root</c>.</summary>
    public string? PrincipalArn { get; set; }

    /// <summary>An IAM identity policy (JSON). Absent: full access, <c>secretsmanager:*</c> and <c>cloudtrail:LookupEvents</c> on <c>*</c>.</summary>
    public string? Policy { get; set; }

    /// <summary>Never prints the secret parts.</summary>
    public override string ToString() => $"AccessKey {AccessKeyId}";
}
