using System.Globalization;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Storage;

/// <summary>The orders ListSecrets offers (its <c>SortBy</c>).</summary>
public enum SecretSortKey
{
    CreatedDate,
    LastAccessedDate,
    LastChangedDate,
    Name,
}

/// <summary>
/// A place in a listing order: the sort key of a secret (<see cref="SecretListKeys.Of"/>) and its
/// name. Names are unique, so a position names one place even when secrets come and go.
/// </summary>
public readonly record struct SecretListPosition(string Key, string Name);

/// <summary>
/// "The secrets in order <see cref="SortBy"/> (<see cref="Descending"/>), whose names start with
/// one of <see cref="NamePrefixes"/> (all when null), live only or also scheduled for deletion,
/// strictly after <see cref="After"/>". <see cref="PageHint"/> is how many the caller expects to
/// take, so a store can size its reads.
/// </summary>
public sealed record SecretListQuery(
    SecretSortKey SortBy,
    bool Descending,
    IReadOnlyList<string>? NamePrefixes,
    bool IncludeDeleted,
    SecretListPosition? After,
    int PageHint);

/// <summary>Sort keys and their order: one definition for the operations and both stores.</summary>
public static class SecretListKeys
{
    /// <summary>Fixed-width UTC ticks, so dates order correctly as ordinal strings.</summary>
    public const int TicksDigits = 19;

    /// <summary>A sort key that orders correctly as an ordinal string; a missing date sorts first.</summary>
    public static string Of(SecretRecord record, SecretSortKey sortBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        return sortBy switch
        {
            SecretSortKey.Name => record.Name,
            SecretSortKey.LastAccessedDate => Ticks(record.LastAccessedDate),
            SecretSortKey.LastChangedDate => Ticks(record.LastChangedDate),
            _ => Ticks(record.CreatedDate),
        };
    }

    public static SecretListPosition PositionOf(SecretRecord record, SecretSortKey sortBy) =>
        new(Of(record, sortBy), record.Name);

    /// <summary>Ascending order of positions: the key, then the name, both ordinal.</summary>
    public static int Compare(SecretListPosition a, SecretListPosition b)
    {
        var result = string.CompareOrdinal(a.Key, b.Key);
        return result != 0 ? result : string.CompareOrdinal(a.Name, b.Name);
    }

    /// <summary>Whether <paramref name="name"/> starts with any of <paramref name="prefixes"/> (all when null).</summary>
    public static bool MatchesPrefix(string name, IReadOnlyList<string>? prefixes)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (prefixes is null)
        {
            return true;
        }

        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Ticks(DateTimeOffset? date) =>
        (date?.UtcTicks ?? 0).ToString("D19", CultureInfo.InvariantCulture);
}
