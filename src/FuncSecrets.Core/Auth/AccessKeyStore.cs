using System.Text;
using FuncSecrets.Core.Auth.Policy;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// The configured access keys, checked once at construction: ids unique, secrets present,
/// identity policies parsed. A mistake is an <see cref="InvalidOperationException"/> naming the
/// key id, so the app fails at start rather than on the first request; secrets are never in it.
/// </summary>
public sealed class AccessKeyStore
{
    // Full access to this service, audit reads included (issue 16: cloudtrail:LookupEvents).
    private const string FullAccessPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:*","cloudtrail:LookupEvents"],"Resource":"*"}]}""";

    private readonly Dictionary<string, AccessKey> _keys = new(StringComparer.Ordinal);

    public AccessKeyStore(AuthOptions options, ServiceOptions service)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(service);
        for (var i = 0; i < options.AccessKeys.Count; i++)
        {
            var configured = options.AccessKeys[i];
            var where = $"{AuthOptions.SectionName}:AccessKeys:{i}";
            if (string.IsNullOrWhiteSpace(configured.AccessKeyId))
            {
                throw new InvalidOperationException($"{where}: AccessKeyId is required.");
            }

            if (string.IsNullOrEmpty(configured.SecretAccessKey))
            {
                throw new InvalidOperationException($"{where} ({configured.AccessKeyId}): SecretAccessKey is required.");
            }

            var policyJson = string.IsNullOrWhiteSpace(configured.Policy) ? FullAccessPolicy : configured.Policy;
            if (!PolicyParser.TryParse(policyJson, PolicyKind.Identity, out var policy, out var problem))
            {
                throw new InvalidOperationException($"{where} ({configured.AccessKeyId}): Policy is not a valid IAM identity policy: {problem!.Detail}");
            }

            var principal = string.IsNullOrWhiteSpace(configured.PrincipalArn)
                ? $"arn:{service.Partition}:iam::{service.AccountId}:root"
                : configured.PrincipalArn;
            var key = new AccessKey(
                configured.AccessKeyId,
                Encoding.UTF8.GetBytes("AWS4" + configured.SecretAccessKey),
                string.IsNullOrEmpty(configured.SessionToken) ? null : Encoding.UTF8.GetBytes(configured.SessionToken),
                principal,
                policy!);
            if (!_keys.TryAdd(key.AccessKeyId, key))
            {
                throw new InvalidOperationException($"{where}: AccessKeyId {configured.AccessKeyId} is configured twice.");
            }
        }
    }

    /// <summary>How many keys are configured (a deployment in Azure refuses to start with none).</summary>
    public int Count => _keys.Count;

    /// <summary>The principal ARN of a configured key, or null.</summary>
    public string? PrincipalArnOf(string accessKeyId) => Find(accessKeyId)?.PrincipalArn;

    internal AccessKey? Find(string accessKeyId) => _keys.GetValueOrDefault(accessKeyId);
}

/// <summary>
/// One key as the verifier needs it: the secret already prefixed with "AWS4" (the first HMAC key
/// of SigV4's signing-key chain), the session token as bytes for a constant-time compare.
/// </summary>
internal sealed class AccessKey(string accessKeyId, byte[] signingSecret, byte[]? sessionToken, string principalArn, PolicyDocument identityPolicy)
{
    public string AccessKeyId { get; } = accessKeyId;

    public byte[] SigningSecret { get; } = signingSecret;

    public byte[]? SessionToken { get; } = sessionToken;

    public string PrincipalArn { get; } = principalArn;

    public PolicyDocument IdentityPolicy { get; } = identityPolicy;

    /// <summary>
    /// The derived SigV4 signing key of a credential scope, kept for the scope last used: the four
    /// HMACs of the key chain then run once per key and day, not once per call. One slot per key,
    /// so scopes a caller makes up cannot grow it; a different scope replaces it.
    /// </summary>
    public byte[] SigningKey(CredentialScope scope)
    {
        var cached = Volatile.Read(ref _signingKey);
        if (cached is null
            || !string.Equals(cached.Date, scope.Date, StringComparison.Ordinal)
            || !string.Equals(cached.Region, scope.Region, StringComparison.Ordinal)
            || !string.Equals(cached.Service, scope.Service, StringComparison.Ordinal)
            || !string.Equals(cached.Terminator, scope.Terminator, StringComparison.Ordinal))
        {
            cached = new DerivedKey(scope.Date, scope.Region, scope.Service, scope.Terminator, SigV4Verifier.DeriveSigningKey(SigningSecret, scope));
            Volatile.Write(ref _signingKey, cached);
        }

        return cached.Key;
    }

    public override string ToString() => $"AccessKey {AccessKeyId}";

    private DerivedKey? _signingKey;

    private sealed record DerivedKey(string Date, string Region, string Service, string Terminator, byte[] Key);
}
