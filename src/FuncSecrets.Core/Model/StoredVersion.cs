using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Core.Model;

/// <summary>One version row: the sealed value and what is tracked per version.</summary>
public sealed class StoredVersion
{
    public required string VersionId { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    /// <summary>Null when read by a listing that skipped the ciphertext.</summary>
    public SealedValue? Value { get; init; }

    /// <summary>Day precision (midnight UTC).</summary>
    public DateTimeOffset? LastAccessedDate { get; set; }
}
