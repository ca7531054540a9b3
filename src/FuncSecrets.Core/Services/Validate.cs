using System.Text;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>Checks of request members shared by several operations, with AWS's error texts.</summary>
public static class Validate
{
    public static string Required(string? value, string member) =>
        value ?? throw AwsErrors.MissingMember(member);

    public static void Length(string? value, string member, int min, int max, bool showValue = true)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length < min)
        {
            throw AwsErrors.MinLength(member, min, showValue ? value : null);
        }

        if (value.Length > max)
        {
            throw AwsErrors.MaxLength(member, max, showValue ? value : null);
        }
    }

    public static void Description(string? description) =>
        Length(description, "description", 0, Limits.DescriptionMaxLength);

    public static void KmsKeyId(string? kmsKeyId) =>
        Length(kmsKeyId, "kmsKeyId", 0, Limits.KmsKeyIdMaxLength);

    /// <summary>A ClientRequestToken or VersionId: 32 to 64 characters.</summary>
    public static void Token(string? token, string member) =>
        Length(token, member, Limits.TokenMinLength, Limits.TokenMaxLength);

    /// <summary>
    /// SecretString xor SecretBinary, each at most 65,536 bytes. Returns the sealed payload, or
    /// null when neither is given. The value itself never appears in an error.
    /// </summary>
    public static byte[]? Value(string? secretString, byte[]? secretBinary)
    {
        if (secretString is not null && secretBinary is not null)
        {
            throw AwsErrors.InvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        }

        // The current service model (aws/api-models-aws) gives both members minimum length 1;
        // Debian's older botocore says 0. The value is never echoed.
        if (secretString is { Length: 0 })
        {
            throw AwsErrors.MinLength("secretString", 1);
        }

        if (secretBinary is { Length: 0 })
        {
            throw AwsErrors.MinLength("secretBinary", 1);
        }

        if (secretString is not null)
        {
            if (Encoding.UTF8.GetByteCount(secretString) > Limits.SecretValueMaxBytes)
            {
                throw AwsErrors.MaxLength("secretString", Limits.SecretValueMaxBytes);
            }

            return SecretPayload.FromString(secretString);
        }

        if (secretBinary is not null)
        {
            if (secretBinary.Length > Limits.SecretValueMaxBytes)
            {
                throw AwsErrors.MaxLength("secretBinary", Limits.SecretValueMaxBytes);
            }

            return SecretPayload.FromBinary(secretBinary);
        }

        return null;
    }

    public static void Tags(IReadOnlyList<Tag>? tags, string member = "tags")
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > Limits.MaxTags)
        {
            throw AwsErrors.InvalidParameter("Number of tags exceeds Secrets Manager tag limit.");
        }

        foreach (var tag in tags)
        {
            TagKey(tag.Key, member + ".member.key");
            if (tag.Value is null)
            {
                throw AwsErrors.MissingMember(member + ".member.value");
            }

            Length(tag.Value, member + ".member.value", 0, Limits.TagValueMaxLength);
        }
    }

    public static void TagKey(string? key, string member)
    {
        Length(Required(key, member), member, 1, Limits.TagKeyMaxLength);
        if (key!.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw AwsErrors.InvalidParameter("Invalid tag key. The tag key prefix 'aws:' is reserved for AWS use.");
        }
    }

    /// <summary>VersionStages: 1 to 20 labels of 1 to 256 characters.</summary>
    public static void Stages(IReadOnlyList<string>? stages, string member = "versionStages")
    {
        if (stages is null)
        {
            return;
        }

        if (stages.Count < 1)
        {
            throw AwsErrors.ConstraintViolation(member, "Member must have length greater than or equal to 1");
        }

        if (stages.Count > Limits.MaxStagesPerRequest)
        {
            throw AwsErrors.ConstraintViolation(member, "Member must have length less than or equal to 20");
        }

        foreach (var stage in stages)
        {
            Length(Required(stage, member + ".member"), member + ".member", 1, Limits.StageMaxLength);
        }
    }
}
