using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Storage;

/// <summary>
/// Persistence of secrets, one partition per secret: a metadata row and one row per version.
/// Expected outcomes are values: not found is null, a lost ETag race is <c>false</c>.
/// The due-time indexes the jobs read are a separate seam, <see cref="IDueIndex"/>.
/// </summary>
public interface ISecretStore
{
    /// <summary>Reads a secret's metadata row (including the AWSCURRENT copy) in one round trip.</summary>
    Task<SecretRecord?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Reads one version row with its sealed value.</summary>
    Task<StoredVersion?> GetVersionAsync(string name, string versionId, CancellationToken cancellationToken);

    /// <summary>Reads every version row of a secret without the sealed values.</summary>
    Task<IReadOnlyList<StoredVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a new secret (metadata row and its first versions) in one transaction. False when a
    /// secret of that name already exists (live or scheduled for deletion).
    /// </summary>
    Task<bool> CreateAsync(SecretRecord record, IReadOnlyList<StoredVersion> versions, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the metadata row conditional on <c>record.ETag</c>, inserts <paramref name="added"/>
    /// and deletes <paramref name="removedVersionIds"/>, all in one transaction. False when the
    /// ETag no longer matches (someone else wrote first): reload and retry.
    /// On success <c>record.ETag</c> holds the new ETag.
    /// </summary>
    Task<bool> TryUpdateAsync(SecretRecord record, IReadOnlyList<StoredVersion> added, IReadOnlyList<string> removedVersionIds, CancellationToken cancellationToken);

    /// <summary>
    /// Records a read: merges <c>LastAccessedDate</c> into the metadata row and the version row
    /// without an ETag check (it changes nothing a writer relies on). Best effort.
    /// </summary>
    Task TouchAsync(string name, string versionId, DateTimeOffset day, CancellationToken cancellationToken);

    /// <summary>Removes every row of a secret (the purge). Idempotent.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Every secret's metadata, without sealed values, in storage order: the scan behind the
    /// listing filters no index serves (tags, description, negations).
    /// </summary>
    IAsyncEnumerable<SecretRecord> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The secrets <paramref name="query"/> selects, without sealed values, in its order, starting
    /// strictly after its position: ListSecrets' and BatchGetSecretValue's indexed path. The cost of
    /// what the caller takes depends on how many it takes (and, with name prefixes in a date
    /// order, on how many names match), not on how many secrets exist. Each secret is yielded at
    /// most once, at the position its metadata row gives it, and every secret present throughout
    /// a listing is yielded (docs/listing.md).
    /// </summary>
    IAsyncEnumerable<SecretRecord> ListOrderedAsync(SecretListQuery query, CancellationToken cancellationToken);
}
