namespace FuncSecrets.Core.Auth;

/// <summary>An authenticated caller: the access key it signed with and the principal it maps to.</summary>
public sealed record CallerIdentity(string AccessKeyId, string PrincipalArn);
