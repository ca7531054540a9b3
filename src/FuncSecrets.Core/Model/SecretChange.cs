namespace FuncSecrets.Core.Model;

/// <summary>
/// What one operation on a <see cref="Secret"/> leaves to persist, in one transaction of the
/// secret's partition.
/// </summary>
/// <param name="Record">The new metadata row.</param>
/// <param name="IsNew">True for CreateSecret: the row is inserted, not replaced under its ETag.</param>
/// <param name="Added">Version rows to write (new versions, or existing ones re-wrapped under a new key).</param>
/// <param name="Removed">Ids of the version rows to delete (deprecated versions beyond the limit).</param>
/// <param name="CopyCurrentFrom">
/// The version whose sealed value the writer copies into the metadata row as the AWSCURRENT copy
/// (from <paramref name="Added"/> when it is there, else from its stored row); null leaves the copy as it is.
/// </param>
public sealed record SecretChange(
    SecretRecord Record,
    bool IsNew,
    IReadOnlyList<StoredVersion> Added,
    IReadOnlyList<string> Removed,
    string? CopyCurrentFrom);
