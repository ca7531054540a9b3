using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The order of a secret listing (SortBy, SortOrder) and positions in it: the sort key and the
/// name of a secret, which identify its place even when secrets come and go between pages.
/// </summary>
public sealed class SecretOrder
{
    private readonly string _sortBy;
    private readonly bool _descending;

    private SecretOrder(string sortBy, bool descending)
    {
        _sortBy = sortBy;
        _descending = descending;
    }

    /// <summary>What a NextToken must have been issued for.</summary>
    public string Scope => ":" + _sortBy + ":" + (_descending ? "desc" : "asc");

    public static SecretOrder Create(string? sortBy, string? sortOrder)
    {
        var by = sortBy ?? "created-date";
        if (by is not ("created-date" or "last-accessed-date" or "last-changed-date" or "name"))
        {
            throw AwsErrors.ConstraintViolation("sortBy", "Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]", by);
        }

        var order = sortOrder ?? "asc";
        if (order is not ("asc" or "desc"))
        {
            throw AwsErrors.ConstraintViolation("sortOrder", "Member must satisfy enum value set: [asc, desc]", order);
        }

        return new SecretOrder(by, order == "desc");
    }

    public int Compare(SecretRecord a, SecretRecord b) => Compare(Key(a), a.Name, Key(b), b.Name);

    public string Position(SecretRecord record) => Key(record) + "\n" + record.Name;

    public bool IsAfter(SecretRecord record, string position)
    {
        var split = position.LastIndexOf('\n');
        if (split < 0)
        {
            throw AwsErrors.InvalidNextToken();
        }

        return Compare(Key(record), record.Name, position[..split], position[(split + 1)..]) > 0;
    }

    private int Compare(string keyA, string nameA, string keyB, string nameB)
    {
        var result = string.CompareOrdinal(keyA, keyB);
        if (result == 0)
        {
            result = string.CompareOrdinal(nameA, nameB);
        }

        return _descending ? -result : result;
    }

    /// <summary>A sort key that orders correctly as an ordinal string.</summary>
    private string Key(SecretRecord record) => _sortBy switch
    {
        "name" => record.Name,
        "last-accessed-date" => Ticks(record.LastAccessedDate),
        "last-changed-date" => Ticks(record.LastChangedDate),
        _ => Ticks(record.CreatedDate),
    };

    private static string Ticks(DateTimeOffset? date) =>
        (date?.UtcTicks ?? 0).ToString("D19", CultureInfo.InvariantCulture);
}
