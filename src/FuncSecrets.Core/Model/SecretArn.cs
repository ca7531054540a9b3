namespace FuncSecrets.Core.Model;

/// <summary>
/// Secret ARNs: <c>arn:aws:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-&lt;6 chars&gt;</c>.
/// </summary>
public static class SecretArn
{
    /// <summary>The length of the random suffix, without its dash.</summary>
    public const int SuffixLength = 6;

    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Format(ServiceOptions options, string name, string suffix) =>
        $"arn:{options.Partition}:secretsmanager:{options.Region}:{options.AccountId}:secret:{name}-{suffix}";

    /// <summary>The prefix every ARN of this service starts with, up to and including "secret:".</summary>
    public static string Prefix(ServiceOptions options) =>
        $"arn:{options.Partition}:secretsmanager:{options.Region}:{options.AccountId}:secret:";

    public static string NewSuffix()
    {
        Span<char> chars = stackalloc char[SuffixLength];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = SuffixAlphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(SuffixAlphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>True for anything that looks like an ARN (starts with "arn:").</summary>
    public static bool LooksLikeArn(string secretId) => secretId.StartsWith("arn:", StringComparison.Ordinal);
}
