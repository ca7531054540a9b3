using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The order of a secret listing (SortBy, SortOrder) and positions in it: the sort key and the
/// name of a secret, which identify its place even when secrets come and go between pages.
/// </summary>
public sealed class SecretOrder
{
    private readonly string _sortBy;

    private SecretOrder(string sortBy, SecretSortKey key, bool descending)
    {
        _sortBy = sortBy;
        SortKey = key;
        Descending = descending;
    }

    public SecretSortKey SortKey { get; }

    public bool Descending { get; }

    /// <summary>What a NextToken must have been issued for.</summary>
    public string Scope => ":" + _sortBy + ":" + (Descending ? "desc" : "asc");

    public static SecretOrder Create(string? sortBy, string? sortOrder)
    {
        var by = sortBy ?? "created-date";
        var key = by switch
        {
            "created-date" => SecretSortKey.CreatedDate,
            "last-accessed-date" => SecretSortKey.LastAccessedDate,
            "last-changed-date" => SecretSortKey.LastChangedDate,
            "name" => SecretSortKey.Name,
            _ => throw AwsErrors.ConstraintViolation("sortBy", "Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]", by),
        };

        var order = sortOrder ?? "asc";
        if (order is not ("asc" or "desc"))
        {
            throw AwsErrors.ConstraintViolation("sortOrder", "Member must satisfy enum value set: [asc, desc]", order);
        }

        return new SecretOrder(by, key, order == "desc");
    }

    public int Compare(SecretRecord a, SecretRecord b)
    {
        var result = SecretListKeys.Compare(SecretListKeys.PositionOf(a, SortKey), SecretListKeys.PositionOf(b, SortKey));
        return Descending ? -result : result;
    }

    /// <summary>The token text of a record's place: its sort key, a line break, its name.</summary>
    public string Position(SecretRecord record) => SecretListKeys.Of(record, SortKey) + "\n" + record.Name;

    /// <summary>
    /// Reads a position back from token text. The text came from a caller, so anything this
    /// order could not have issued (a malformed key, a name no secret can have) is
    /// InvalidNextTokenException, before any store sees it.
    /// </summary>
    public SecretListPosition ParsePosition(string position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var split = position.LastIndexOf('\n');
        if (split < 0)
        {
            throw AwsErrors.InvalidNextToken();
        }

        var key = position[..split];
        var name = position[(split + 1)..];
        if (name.Length is 0 or > Limits.NameMaxLength || !name.All(SecretName.IsValidCharacter))
        {
            throw AwsErrors.InvalidNextToken();
        }

        var keyValid = SortKey == SecretSortKey.Name
            ? key == name
            : key.Length == SecretListKeys.TicksDigits && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        return keyValid ? new SecretListPosition(key, name) : throw AwsErrors.InvalidNextToken();
    }

    public bool IsAfter(SecretRecord record, SecretListPosition position)
    {
        var result = SecretListKeys.Compare(SecretListKeys.PositionOf(record, SortKey), position);
        return Descending ? result < 0 : result > 0;
    }
}
