using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Turns a <c>SecretId</c> (a name, a full ARN or a partial ARN without the random suffix) into
/// the stored secret it names.
/// </summary>
public sealed class SecretLocator(OperationDependencies deps)
{
    /// <summary>
    /// The name a SecretId stands for and, for a full ARN, the suffix it must carry.
    /// <paramref name="Given"/> is the SecretId exactly as the caller gave it: what an
    /// AccessDeniedException names, so a denial reads the same whether the secret exists or not.
    /// </summary>
    public readonly record struct SecretReference(string Name, string? Suffix, string? Given = null)
    {
        /// <summary>What a denial names: the SecretId as given, else the name.</summary>
        public string Shown => Given ?? Name;
    }

    /// <summary>Parses and validates a SecretId without reading storage.</summary>
    public SecretReference Parse(string? secretId, string member = "secretId")
    {
        if (secretId is null)
        {
            throw AwsErrors.MissingMember(member);
        }

        if (secretId.Length == 0)
        {
            throw AwsErrors.MinLength(member, 1, secretId);
        }

        if (secretId.Length > Limits.SecretIdMaxLength)
        {
            throw AwsErrors.MaxLength(member, Limits.SecretIdMaxLength, secretId);
        }

        if (!SecretArn.LooksLikeArn(secretId))
        {
            SecretName.Validate(secretId, member);
            return new SecretReference(secretId, null, secretId);
        }

        var prefix = SecretArn.Prefix(deps.Options);
        if (!secretId.StartsWith(prefix, StringComparison.Ordinal))
        {
            // An ARN of another region, account or service names nothing here.
            throw AwsErrors.SecretNotFound();
        }

        var rest = secretId[prefix.Length..];
        if (rest.Length == 0 || !rest.All(SecretName.IsValidCharacter))
        {
            throw AwsErrors.SecretNotFound();
        }

        // A trailing "-" + 6 characters is read as the random suffix, as AWS does: so a partial ARN
        // whose name itself ends that way is taken for a full ARN and matches only that suffix.
        var dash = rest.Length - SecretArn.SuffixLength - 1;
        if (dash > 0 && rest[dash] == '-' && IsSuffix(rest.AsSpan(dash + 1)))
        {
            return new SecretReference(rest[..dash], rest[(dash + 1)..], secretId);
        }

        return new SecretReference(rest, null, secretId);
    }

    /// <summary>Loads the secret or throws ResourceNotFoundException.</summary>
    public async Task<SecretRecord> FindAsync(string? secretId, CancellationToken cancellationToken, string member = "secretId")
    {
        var reference = Parse(secretId, member);
        return await FindAsync(reference, cancellationToken) ?? throw AwsErrors.SecretNotFound();
    }

    public async Task<SecretRecord?> FindAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var record = await deps.Store.GetAsync(reference.Name, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (reference.Suffix is not null && !string.Equals(reference.Suffix, record.ArnSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        return record;
    }

    private static bool IsSuffix(ReadOnlySpan<char> candidate)
    {
        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
