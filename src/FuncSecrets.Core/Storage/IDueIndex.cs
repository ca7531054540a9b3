namespace FuncSecrets.Core.Storage;

/// <summary>
/// The due-time indexes ("purge", "rotate"): which secret a job should look at, and when. Entries
/// are hints, never the truth: the secret's own row decides, so a stale entry is only dropped.
/// </summary>
public interface IDueIndex
{
    /// <summary>
    /// Adds or refreshes an entry in a due-time index (<paramref name="index"/> is "purge" or
    /// "rotate"). Written before the change it announces, so the index is a superset: a job that
    /// finds an entry re-reads the secret and drops the entry when it is stale.
    /// </summary>
    Task AddDueAsync(string index, DateTimeOffset due, string name, CancellationToken cancellationToken);

    /// <summary>Entries of a due-time index with a due time at or before <paramref name="until"/>.</summary>
    Task<IReadOnlyList<DueEntry>> ListDueAsync(string index, DateTimeOffset until, int max, CancellationToken cancellationToken);

    /// <summary>Removes one due-index entry. Idempotent.</summary>
    Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken);
}

/// <summary>One entry of a due-time index.</summary>
public sealed record DueEntry(string Index, DateTimeOffset Due, string Name);
