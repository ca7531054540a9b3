using System.Net;
using System.Text;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// The name/value pairs of one Query request: the URL's query string plus, for a form POST, the
/// <c>application/x-www-form-urlencoded</c> body. Names stay case-sensitive and in arrival order
/// (ASP.NET Core's own query collection folds case, which would merge <c>Tags</c> and <c>tags</c>).
/// </summary>
public sealed class QueryParameters
{
    public const string ActionName = "Action";
    public const string VersionName = "Version";

    private readonly List<KeyValuePair<string, string>> _pairs;

    public QueryParameters(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _pairs = [.. pairs];
    }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>Parses <c>a=1&amp;b=2</c> (with or without a leading <c>?</c>): <c>+</c> is a space, <c>%XX</c> UTF-8.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseUrlEncoded(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var part in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            yield return new(Decode(name), Decode(value));
        }
    }

    /// <summary>The query string and, when <paramref name="formBody"/> is given, the form body.</summary>
    public static QueryParameters From(string rawQuery, ReadOnlySpan<byte> formBody)
    {
        var pairs = ParseUrlEncoded(rawQuery).ToList();
        if (!formBody.IsEmpty)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(formBody);
            }
            catch (DecoderFallbackException)
            {
                throw AwsErrors.QueryParameterInvalid("The form-encoded request body is not valid UTF-8.");
            }

            pairs.AddRange(ParseUrlEncoded(text));
        }

        return new QueryParameters(pairs);
    }

    /// <summary>The one value of a top-level parameter, or null; a repeated name is refused.</summary>
    public string? Single(string name)
    {
        string? found = null;
        foreach (var (key, value) in _pairs)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw AwsErrors.QueryParameterInvalid($"The parameter {name} appears more than once.");
                }

                found = value;
            }
        }

        return found;
    }

    // WebUtility.UrlDecode maps '+' to a space and decodes %XX as UTF-8, replacing bytes that are
    // not UTF-8 with U+FFFD, so no lone surrogate can come out of a request.
    private static string Decode(string text) => text.Length == 0 ? text : WebUtility.UrlDecode(text);
}
