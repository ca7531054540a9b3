using System.Globalization;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// The signing parameters of one request, read from the <c>Authorization</c> header or from the
/// presigned query string (<c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, ...).
/// </summary>
internal sealed record SigV4Parameters(
    bool Presigned,
    string Algorithm,
    string Credential,
    string SignedHeaders,
    string Signature,
    DateTimeOffset SignedAt,
    string Timestamp,
    TimeSpan? Expires,
    string? SecurityToken)
{
    public const string Algorithm4 = "AWS4-HMAC-SHA256";
    public const string AuthorizationHeader = "Authorization";
    public const string AmzDateHeader = "X-Amz-Date";
    public const string DateHeader = "Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";
    public const string ContentSha256Header = "X-Amz-Content-SHA256";

    /// <summary>The JSON protocol's operation-selecting header, which a signature must cover.</summary>
    public const string TargetHeader = "X-Amz-Target";
    public const string QueryAlgorithm = "X-Amz-Algorithm";
    public const string QueryCredential = "X-Amz-Credential";
    public const string QuerySignature = "X-Amz-Signature";
    public const string QuerySignedHeaders = "X-Amz-SignedHeaders";
    public const string QueryDate = "X-Amz-Date";
    public const string QueryExpires = "X-Amz-Expires";
    public const string QuerySecurityToken = "X-Amz-Security-Token";
    public const string QueryContentSha256 = "X-Amz-Content-Sha256";

    /// <summary>SigV4's ceiling for <c>X-Amz-Expires</c>: seven days.</summary>
    public const int MaxExpiresSeconds = 604800;

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Reads the header form. Throws IncompleteSignature for a malformed header.</summary>
    public static SigV4Parameters FromHeader(SignedRequest request, string header)
    {
        var amzDate = request.GetHeader(AmzDateHeader);
        var httpDate = request.GetHeader(DateHeader);
        var missingDate = string.IsNullOrEmpty(amzDate) && string.IsNullOrEmpty(httpDate);

        // Coral parses key=value pairs only after an "AWS4-" scheme; anything else (SigV2's
        // "AWS key:sig", a bearer token) is reported as missing every parameter
        // (aws/aws-sdk-js#4285, aws/aws-sdk-ruby#317).
        var trimmed = header.Trim();
        if (!trimmed.StartsWith("AWS4-", StringComparison.Ordinal))
        {
            throw AwsErrors.AuthorizationHeaderIncomplete(["Credential", "Signature", "SignedHeaders"], missingDate, header);
        }

        // Pairs are separated by commas and/or spaces; a token without '=' is an error of its own
        // (iann0036/cloud9-sync#10: "Credential= key/..." splits into two tokens).
        var tokens = trimmed.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens.AsSpan(1))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw AwsErrors.AuthorizationPairInvalid(token, header);
            }

            values[token[..equals]] = token[(equals + 1)..];
        }

        var missing = new List<string>();
        foreach (var name in (string[])["Credential", "Signature", "SignedHeaders"])
        {
            if (!values.TryGetValue(name, out var value) || value.Length == 0)
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0 || missingDate)
        {
            throw AwsErrors.AuthorizationHeaderIncomplete(missing, missingDate, header);
        }

        // X-Amz-Date wins over Date (AWS General Reference, "Handling dates in Signature Version 4").
        var (signedAt, timestamp) = string.IsNullOrEmpty(amzDate) ? ParseHttpDate(httpDate!) : ParseAmzDate(amzDate);
        return new SigV4Parameters(
            Presigned: false,
            Algorithm: tokens[0],
            Credential: values["Credential"],
            SignedHeaders: values["SignedHeaders"],
            Signature: values["Signature"],
            SignedAt: signedAt,
            Timestamp: timestamp,
            Expires: null,
            SecurityToken: request.GetHeader(SecurityTokenHeader));
    }

    /// <summary>Reads the presigned query form. Throws IncompleteSignature for missing parameters.</summary>
    public static SigV4Parameters FromQuery(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        string[] required = [QueryAlgorithm, QueryCredential, QuerySignature, QuerySignedHeaders, QueryDate];
        var missing = required.Where(name => string.IsNullOrEmpty(Find(query, name))).ToList();
        if (missing.Count > 0)
        {
            throw AwsErrors.PresignedQueryIncomplete(missing);
        }

        var (signedAt, timestamp) = ParseAmzDate(Find(query, QueryDate)!);
        return new SigV4Parameters(
            Presigned: true,
            Algorithm: Find(query, QueryAlgorithm)!,
            Credential: Find(query, QueryCredential)!,
            SignedHeaders: Find(query, QuerySignedHeaders)!,
            Signature: Find(query, QuerySignature)!,
            SignedAt: signedAt,
            Timestamp: timestamp,
            Expires: ParseExpires(Find(query, QueryExpires)),
            SecurityToken: Find(query, QuerySecurityToken));
    }

    /// <summary>The first value of a query parameter (names are case-sensitive), or null.</summary>
    public static string? Find(IReadOnlyList<KeyValuePair<string, string>> query, string name)
    {
        foreach (var (key, value) in query)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    private static (DateTimeOffset SignedAt, string Timestamp) ParseAmzDate(string value)
    {
        if (!DateTimeOffset.TryParseExact(value, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw AwsErrors.DateNotIso8601(value);
        }

        return (parsed, value);
    }

    // A request signed with only a Date header (RFC 7231 IMF-fixdate) signs its ISO-8601 basic
    // form. The weekday is not checked: AWS's own suite dates "Mon, 09 Sep 2011" (a Friday).
    private static (DateTimeOffset SignedAt, string Timestamp) ParseHttpDate(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        var withoutWeekday = comma < 0 ? value : value[(comma + 1)..].Trim();
        if (!DateTimeOffset.TryParseExact(withoutWeekday, "dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw AwsErrors.DateNotIso8601(value);
        }

        return (parsed, parsed.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture));
    }

    private static TimeSpan? ParseExpires(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            throw AwsErrors.PresignedExpiresNotNumber();
        }

        if (seconds < 0)
        {
            throw AwsErrors.PresignedExpiresNegative();
        }

        if (seconds > MaxExpiresSeconds)
        {
            throw AwsErrors.PresignedExpiresTooLarge();
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
