using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Storage;

/// <summary>
/// The listing index in memory: per sort key, a sorted set of every secret's position (sort key,
/// name). A listing finds its position by binary search and reads on by index, in chunks, each
/// taken under the lock, so a page costs what it takes (O(page · log n)); name prefixes are ranges
/// of the name set. Not <c>SortedSet.GetViewBetween</c>: a view counts its elements when made,
/// which made every page cost the secrets after its position.
/// </summary>
public sealed partial class InMemorySecretStore
{
    private static readonly SecretSortKey[] SortKeys = Enum.GetValues<SecretSortKey>();

    private readonly Dictionary<SecretSortKey, ImmutableSortedSet<SecretListPosition>.Builder> _orders = SortKeys.ToDictionary(
        key => key, _ => ImmutableSortedSet.CreateBuilder(Comparer<SecretListPosition>.Create(SecretListKeys.Compare)));

    public async IAsyncEnumerable<SecretRecord> ListOrderedAsync(SecretListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var chunk = Math.Clamp(query.PageHint, 1, MaxRowsPerChange * 10);
        var cursor = query.After;
        List<SecretListPosition>? candidates = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<SecretRecord> records;
            lock (_gate)
            {
                // Name prefixes: the matching names are ranges of the name set; in a date order
                // they are then sorted by that date (cost follows the matches, not the store).
                candidates ??= query.NamePrefixes is null ? null : Candidates(query);
                var positions = candidates is null
                    ? After(_orders[query.SortBy], cursor, query.Descending).Take(chunk).ToList()
                    : candidates.Where(p => cursor is null || IsAfter(p, cursor.Value, query.Descending)).Take(chunk).ToList();
                if (positions.Count == 0)
                {
                    yield break;
                }

                cursor = positions[^1];
                records = [.. positions
                    .Select(p => _secrets.TryGetValue(p.Name, out var partition) ? partition.Meta : null)
                    .Where(meta => meta is not null && (query.IncludeDeleted || !meta.IsDeleted) && SecretListKeys.MatchesPrefix(meta.Name, query.NamePrefixes))
                    .Select(meta => Copy(meta!, _secrets[meta!.Name].ETag, withValue: false))];
            }

            foreach (var record in records)
            {
                yield return record;
            }

            await Task.Yield();
        }
    }

    /// <summary>The positions of secrets named with a prefix, in the query's order (under the lock).</summary>
    private List<SecretListPosition> Candidates(SecretListQuery query)
    {
        var names = _orders[SecretSortKey.Name];
        var positions = new HashSet<SecretListPosition>();
        foreach (var prefix in query.NamePrefixes!)
        {
            for (var i = FirstAtOrAfter(names, new(prefix, prefix)); i < names.Count && names[i].Name.StartsWith(prefix, StringComparison.Ordinal); i++)
            {
                positions.Add(SecretListKeys.PositionOf(_secrets[names[i].Name].Meta, query.SortBy));
            }
        }

        var sorted = positions.ToList();
        sorted.Sort(SecretListKeys.Compare);
        if (query.Descending)
        {
            sorted.Reverse();
        }

        return sorted;
    }

    /// <summary>The positions strictly after <paramref name="cursor"/> in the query's direction (read under the lock).</summary>
    private static IEnumerable<SecretListPosition> After(ImmutableSortedSet<SecretListPosition>.Builder set, SecretListPosition? cursor, bool descending)
    {
        if (descending)
        {
            for (var i = (cursor is { } c ? FirstAtOrAfter(set, c) : set.Count) - 1; i >= 0; i--)
            {
                yield return set[i];
            }

            yield break;
        }

        var start = cursor is { } from ? FirstAtOrAfter(set, from) : 0;
        if (cursor is { } at && start < set.Count && SecretListKeys.Compare(set[start], at) == 0)
        {
            start++;
        }

        for (var i = start; i < set.Count; i++)
        {
            yield return set[i];
        }
    }

    /// <summary>The index of the first position not below <paramref name="position"/> (binary search).</summary>
    private static int FirstAtOrAfter(ImmutableSortedSet<SecretListPosition>.Builder set, SecretListPosition position)
    {
        var index = set.IndexOf(position);
        return index >= 0 ? index : ~index;
    }

    private static bool IsAfter(SecretListPosition position, SecretListPosition cursor, bool descending)
    {
        var result = SecretListKeys.Compare(position, cursor);
        return descending ? result < 0 : result > 0;
    }

    private void IndexAdd(SecretRecord meta)
    {
        foreach (var key in SortKeys)
        {
            _orders[key].Add(SecretListKeys.PositionOf(meta, key));
        }
    }

    private void IndexRemove(SecretRecord meta)
    {
        foreach (var key in SortKeys)
        {
            _orders[key].Remove(SecretListKeys.PositionOf(meta, key));
        }
    }
}
