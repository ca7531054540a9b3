using System.Globalization;
using System.Runtime.CompilerServices;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Storage;

/// <summary>
/// Both store seams in memory, with the Table store's contract (the same contract tests run
/// against both): one metadata row and version rows per secret, every change all-or-nothing and
/// conditional on the metadata row's ETag, at most <see cref="MaxRowsPerChange"/> rows per change,
/// a touch changes the ETag as a MERGE does, listings carry no sealed values. Callers get copies,
/// never the stored objects, so a caller's later edits reach nothing until written. The listing
/// index (one sorted set of positions per sort key) changes under the same lock as the secret,
/// so here it is never out of step; the Table store gets there with a repair path.
/// </summary>
public sealed partial class InMemorySecretStore : ISecretStore, IDueIndex
{
    /// <summary>An entity-group transaction's limit, which the Table store also enforces.</summary>
    public const int MaxRowsPerChange = 100;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Partition> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<(long Ticks, string Name)>> _due = new(StringComparer.Ordinal);
    private long _etagCounter;

    public Task<SecretRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_secrets.TryGetValue(name, out var partition) ? Copy(partition.Meta, partition.ETag, withValue: true) : null);
        }
    }

    public Task<StoredVersion?> GetVersionAsync(string name, string versionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_secrets.TryGetValue(name, out var partition) && partition.Versions.TryGetValue(versionId, out var version)
                ? Copy(version, withValue: true)
                : null);
        }
    }

    public Task<IReadOnlyList<StoredVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredVersion> versions = _secrets.TryGetValue(name, out var partition)
                ? [.. partition.Versions.Values.Select(v => Copy(v, withValue: false))]
                : [];
            return Task.FromResult(versions);
        }
    }

    public Task<bool> CreateAsync(SecretRecord record, IReadOnlyList<StoredVersion> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(versions);
        CheckChangeSize(1 + versions.Count);
        lock (_gate)
        {
            if (_secrets.ContainsKey(record.Name))
            {
                return Task.FromResult(false);
            }

            var partition = new Partition(Copy(record, etag: null, withValue: true), NextETag());
            foreach (var version in versions)
            {
                partition.Versions[version.VersionId] = Copy(version, withValue: true);
            }

            _secrets[record.Name] = partition;
            IndexAdd(partition.Meta);
            record.ETag = partition.ETag;
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryUpdateAsync(SecretRecord record, IReadOnlyList<StoredVersion> added, IReadOnlyList<string> removedVersionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removedVersionIds);
        var etag = record.ETag ?? throw new ArgumentException("TryUpdateAsync needs a record read from the store (with its ETag).", nameof(record));

        // Removals beyond the transaction are allowed (the Table store deletes them after the
        // commit); the metadata row and the added versions must fit in one.
        CheckChangeSize(1 + added.Count);
        lock (_gate)
        {
            if (!_secrets.TryGetValue(record.Name, out var partition) || partition.ETag != etag)
            {
                return Task.FromResult(false);
            }

            IndexRemove(partition.Meta);
            partition.Meta = Copy(record, etag: null, withValue: true);
            IndexAdd(partition.Meta);
            partition.ETag = NextETag();
            foreach (var id in removedVersionIds)
            {
                partition.Versions.Remove(id);
            }

            foreach (var version in added)
            {
                partition.Versions[version.VersionId] = Copy(version, withValue: true);
            }

            record.ETag = partition.ETag;
            return Task.FromResult(true);
        }
    }

    public Task TouchAsync(string name, string versionId, DateTimeOffset day, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_secrets.TryGetValue(name, out var partition))
            {
                // A MERGE changes the row's ETag: a writer holding the old one must reload.
                IndexRemove(partition.Meta);
                partition.Meta.LastAccessedDate = day;
                IndexAdd(partition.Meta);
                partition.ETag = NextETag();
                if (partition.Versions.TryGetValue(versionId, out var version))
                {
                    version.LastAccessedDate = day;
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_secrets.Remove(name, out var partition))
            {
                IndexRemove(partition.Meta);
            }

            return Task.CompletedTask;
        }
    }

    public async IAsyncEnumerable<SecretRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A snapshot, yielded asynchronously like the Table store's pages.
        List<SecretRecord> snapshot;
        lock (_gate)
        {
            snapshot = [.. _secrets.Values.Select(p => Copy(p.Meta, p.ETag, withValue: false))];
        }

        foreach (var record in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return record;
        }
    }

    public Task AddDueAsync(string index, DateTimeOffset due, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (!_due.TryGetValue(index, out var entries))
            {
                entries = new SortedSet<(long, string)>(DueOrder.Instance);
                _due[index] = entries;
            }

            entries.Add((due.UtcTicks, name));
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<DueEntry>> ListDueAsync(string index, DateTimeOffset until, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DueEntry> entries = max <= 0 || !_due.TryGetValue(index, out var set)
                ? []
                : [.. set.TakeWhile(e => e.Ticks <= until.UtcTicks).Take(max).Select(e => new DueEntry(index, new DateTimeOffset(e.Ticks, TimeSpan.Zero), e.Name))];
            return Task.FromResult(entries);
        }
    }

    public Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_due.TryGetValue(entry.Index, out var set))
            {
                set.Remove((entry.Due.UtcTicks, entry.Name));
            }

            return Task.CompletedTask;
        }
    }

    private static void CheckChangeSize(int rows)
    {
        if (rows > MaxRowsPerChange)
        {
            throw new ArgumentException($"One change to a secret can write at most {MaxRowsPerChange} rows.");
        }
    }

    private string NextETag() =>
        "W/\"" + (++_etagCounter).ToString(CultureInfo.InvariantCulture) + "\"";

    private static SecretRecord Copy(SecretRecord record, string? etag, bool withValue)
    {
        var copy = record.Clone();
        copy.ETag = etag;
        copy.CurrentValue = withValue ? Copy(record.CurrentValue) : null;
        return copy;
    }

    private static StoredVersion Copy(StoredVersion version, bool withValue) => new()
    {
        VersionId = version.VersionId,
        CreatedDate = version.CreatedDate,
        Value = withValue ? Copy(version.Value) : null,
        LastAccessedDate = version.LastAccessedDate,
    };

    private static SealedValue? Copy(SealedValue? value) =>
        value is null ? null : new SealedValue(value.KeyId, [.. value.WrappedKey], [.. value.Nonce], [.. value.Ciphertext]);

    private sealed class Partition(SecretRecord meta, string etag)
    {
        public SecretRecord Meta { get; set; } = meta;

        public string ETag { get; set; } = etag;

        /// <summary>Ordinal, as the Table store's row keys sort.</summary>
        public SortedDictionary<string, StoredVersion> Versions { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Due time first, then the name: the Table store's row key order.</summary>
    private sealed class DueOrder : IComparer<(long Ticks, string Name)>
    {
        public static readonly DueOrder Instance = new();

        public int Compare((long Ticks, string Name) x, (long Ticks, string Name) y)
        {
            var byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
