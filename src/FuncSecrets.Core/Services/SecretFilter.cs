using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>One ListSecrets/BatchGetSecretValue filter as it arrives.</summary>
public sealed class Filter
{
    public string? Key { get; init; }
    public List<string>? Values { get; init; }
}

/// <summary>
/// ListSecrets filters as AWS applies them: several filters must all match, several values of
/// one filter match if any does; a value matches a prefix; a value starting with <c>!</c>
/// excludes the secrets it would match.
/// </summary>
public sealed class SecretFilter
{
    private static readonly string[] Keys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];
    private static readonly char[] WordSeparators = [' ', '/', '_', '-', '+', '=', '.', '@', '!', ':'];
    private static readonly string[] AllKeys = ["name", "description", "tag-key", "tag-value", "primary-region"];

    private readonly List<(string Key, List<string> Include, List<string> Exclude)> _filters = [];
    private readonly string _region;

    public SecretFilter(IReadOnlyList<Filter>? filters, string region, string member = "filters")
    {
        _region = region;
        if (filters is null)
        {
            return;
        }

        if (filters.Count > Limits.MaxFilters)
        {
            throw AwsErrors.ConstraintViolation(member, "Member must have length less than or equal to 10");
        }

        for (var index = 0; index < filters.Count; index++)
        {
            // Coral names list members by 1-based position: filters.2.member.key.
            var filter = filters[index];
            var path = string.Create(CultureInfo.InvariantCulture, $"{member}.{index + 1}.member");
            var key = filter.Key ?? throw AwsErrors.InvalidParameter("Invalid filter key");
            if (filter.Values is null || filter.Values.Count == 0)
            {
                throw AwsErrors.InvalidParameter("Invalid filter values for key: " + key);
            }

            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw AwsErrors.ConstraintViolation(path + ".key", "Member must satisfy enum value set: [all, name, tag-key, description, primary-region, owning-service, tag-value]", key);
            }

            var values = filter.Values;
            if (values.Count > Limits.MaxFilterValues)
            {
                throw AwsErrors.ConstraintViolation(path + ".values", "Member must have length less than or equal to 10", "[" + string.Join(", ", values) + "]");
            }

            var include = new List<string>();
            var exclude = new List<string>();
            foreach (var value in values)
            {
                Validate.Length(Validate.Required(value, path + ".values.member"), path + ".values.member", 0, Limits.FilterValueMaxLength);
                if (!value.All(IsFilterCharacter))
                {
                    throw AwsErrors.ConstraintViolation(path + ".values.member", "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$", value);
                }

                if (value.StartsWith('!'))
                {
                    exclude.Add(value[1..]);
                }
                else
                {
                    include.Add(value);
                }
            }

            _filters.Add((key, include, exclude));
        }
    }

    public bool IsEmpty => _filters.Count == 0;

    /// <summary>
    /// Whether the listing index can serve these filters: none at all, or a single <c>name</c>
    /// filter without negations (its values are case-sensitive prefixes of the name, so each is
    /// one range of the name index). Every other filter, and a <c>!</c> value, needs the
    /// secret's other fields or everything outside a range: those stay scans.
    /// </summary>
    public bool IsIndexable => _filters.Count == 0
        || (_filters.Count == 1 && _filters[0].Key == "name" && _filters[0].Exclude.Count == 0 && _filters[0].Include.Count > 0);

    /// <summary>The name prefixes an indexable listing reads; null for every name.</summary>
    public IReadOnlyList<string>? NamePrefixes => _filters.Count == 0 ? null : _filters[0].Include;

    private static bool IsFilterCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is ' ' or ':' or '_' or '@' or '/' or '+' or '=' or '.' or '-' or '!';

    public bool Matches(SecretRecord record)
    {
        foreach (var (key, include, exclude) in _filters)
        {
            var fields = Fields(record, key).ToList();
            if (exclude.Any(value => fields.Any(field => IsMatch(key, field, value))))
            {
                return false;
            }

            if (include.Count > 0 && !include.Any(value => fields.Any(field => IsMatch(key, field, value))))
            {
                return false;
            }
        }

        return true;
    }

    private IEnumerable<string> Fields(SecretRecord record, string key)
    {
        switch (key)
        {
            case "name":
                yield return record.Name;
                break;
            case "description":
                if (record.Description is not null)
                {
                    yield return record.Description;
                }

                break;
            case "tag-key":
                foreach (var tag in record.Tags ?? [])
                {
                    yield return tag.Key;
                }

                break;
            case "tag-value":
                foreach (var tag in record.Tags ?? [])
                {
                    yield return tag.Value;
                }

                break;
            case "primary-region":
                if (Replication.ReplicaGuard.PrimaryRegionOf(record, _region) is { } primaryRegion)
                {
                    yield return primaryRegion;
                }

                break;
            case "owning-service":
                break;
            default:
                foreach (var field in AllKeys.SelectMany(k => Fields(record, k)))
                {
                    yield return field;
                }

                break;
        }
    }

    /// <summary>
    /// AWS's matching per key: <c>description</c> and <c>all</c> split the value into words and
    /// match each as a case-insensitive prefix of a word of the field; the other keys match a
    /// case-sensitive prefix of the whole field (AWS's "Find secrets" page; checked against AWS
    /// answers recorded in public test snapshots).
    /// </summary>
    private static bool IsMatch(string key, string field, string value) => key switch
    {
        "description" or "all" => WordsMatch(field, value),
        _ => field.StartsWith(value, StringComparison.Ordinal),
    };

    private static bool WordsMatch(string field, string value)
    {
        var words = Words(value);
        if (words.Count == 0)
        {
            // A value that is only separators (e.g. "+") matches nothing (moto's AWS-verified
            // test_with_all_filter_special_characters).
            return false;
        }

        var fieldWords = Words(field);
        foreach (var word in words)
        {
            if (!fieldWords.Any(f => f.StartsWith(word, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Splits text into words as AWS's search does: at separators, then at case changes, where a
    /// capital after a small letter starts a word (<c>AppBeta</c> is <c>App</c> + <c>Beta</c>) and
    /// the last capital of a run followed by a small letter starts one too (<c>COMPANYthings</c> is
    /// <c>COMPAN</c> + <c>Ythings</c>), as recorded in moto's AWS-verified
    /// test_with_all_filter_special_characters.
    /// </summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var part in text.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            var start = 0;
            for (var i = 1; i < part.Length; i++)
            {
                var startsWord = char.IsUpper(part[i])
                    && (char.IsLower(part[i - 1]) || (char.IsUpper(part[i - 1]) && i + 1 < part.Length && char.IsLower(part[i + 1])));
                if (startsWord)
                {
                    words.Add(part[start..i]);
                    start = i;
                }
            }

            words.Add(part[start..]);
        }

        return words;
    }
}
