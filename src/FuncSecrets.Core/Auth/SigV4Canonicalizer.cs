using System.Text;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// Builds the SigV4 canonical request the way the AWS SDKs do for every service but S3
/// (AWS General Reference, "Create a canonical request"; botocore <c>SigV4Auth</c>, the JS v3
/// <c>SignatureV4.getCanonicalPath</c>): the path is normalized and then percent-encoded once
/// more, so what the client sent as <c>%20</c> is signed as <c>%2520</c>.
/// </summary>
internal static class SigV4Canonicalizer
{
    private const string HexUpper = "0123456789ABCDEF";

    /// <summary>
    /// The canonical URI: dot segments and empty segments removed (botocore
    /// <c>remove_dot_segments</c>: "AWS services require consecutive slashes to be removed"),
    /// a trailing slash kept, then every byte but the unreserved set and '/' percent-encoded.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        // Every JSON-protocol call posts to "/": its canonical form is itself (issue 15: no
        // split, list or builder per call for it).
        if (string.IsNullOrEmpty(rawPath) || rawPath == "/")
        {
            return "/";
        }

        var output = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        var normalized = new StringBuilder();
        if (rawPath[0] == '/')
        {
            normalized.Append('/');
        }

        normalized.AppendJoin('/', output);
        if (rawPath[^1] == '/' && output.Count > 0)
        {
            normalized.Append('/');
        }

        return UriEncode(normalized.ToString(), keepSlash: true);
    }

    /// <summary>
    /// Splits a raw query into decoded (name, value) pairs in arrival order. Only <c>%XX</c> is
    /// decoded: SigV4 clients encode a space as <c>%20</c>, and '+' is a literal plus.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();

        foreach (var part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        return pairs;
    }

    /// <summary>
    /// The canonical query: each name and value RFC 3986-encoded, sorted by encoded name and then
    /// by encoded value (ordinal), joined with '&amp;'. <paramref name="skipName"/> is left out
    /// (the presigned form's <c>X-Amz-Signature</c>).
    /// </summary>
    public static string CanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> pairs, string? skipName = null)
    {
        if (pairs.Count == 0)
        {
            return string.Empty;
        }

        var encoded = new List<(string Name, string Value)>();
        foreach (var (name, value) in pairs)
        {
            if (skipName is not null && string.Equals(name, skipName, StringComparison.Ordinal))
            {
                continue;
            }

            encoded.Add((UriEncode(name, keepSlash: false), UriEncode(value, keepSlash: false)));
        }

        encoded.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        var text = new StringBuilder();
        foreach (var (name, value) in encoded)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(name).Append('=').Append(value);
        }

        return text.ToString();
    }

    /// <summary>
    /// One canonical header line's value: each value trimmed with runs of whitespace collapsed to
    /// one space (botocore <c>' '.join(value.split())</c>), repeated headers joined with ','.
    /// </summary>
    public static string CanonicalHeaderValue(IReadOnlyList<string> values)
    {
        var text = new StringBuilder();
        AppendCanonicalHeaderValue(text, values);
        return text.ToString();
    }

    /// <summary>The whole canonical request, one element per line.</summary>
    public static string CanonicalRequest(
        SignedRequest request,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        string signedHeadersText,
        string payloadHash)
    {
        var text = new StringBuilder(256);
        AppendCanonicalRequest(text, request, canonicalQuery, signedHeaders, signedHeadersText, payloadHash);
        return text.ToString();
    }

    /// <summary>
    /// Appends the canonical request to <paramref name="text"/> (the verifier passes a builder it
    /// reuses, so a call allocates no string per header or for the whole request).
    /// </summary>
    public static void AppendCanonicalRequest(
        StringBuilder text,
        SignedRequest request,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        string signedHeadersText,
        string payloadHash)
    {
        // ToUpperInvariant returns the string itself when it is already upper case ("POST").
        text.Append(request.Method.ToUpperInvariant()).Append('\n');
        text.Append(CanonicalUri(request.RawPath)).Append('\n');
        text.Append(canonicalQuery).Append('\n');
        foreach (var name in signedHeaders)
        {
            text.Append(name).Append(':');
            AppendCanonicalHeaderValue(text, request.GetHeaderValues(name));
            text.Append('\n');
        }

        text.Append('\n');
        text.Append(signedHeadersText).Append('\n');
        text.Append(payloadHash);
    }

    /// <summary>
    /// RFC 3986 percent-encoding of the UTF-8 bytes: A-Z a-z 0-9 '-' '_' '.' '~' stay, everything
    /// else (including '%') becomes <c>%XX</c> with uppercase hex.
    /// </summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return text.ToString();
    }

    private static void AppendCanonicalHeaderValue(StringBuilder text, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendCollapsed(text, values[i]);
        }
    }

    private static void AppendCollapsed(StringBuilder text, string value)
    {
        var pendingSpace = false;
        var wroteAny = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = wroteAny;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(c);
            wroteAny = true;
        }
    }
}
