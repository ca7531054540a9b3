using System.Security.Cryptography;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// The parts of an HTTP request that AWS Signature V4 covers, exactly as they arrived: the method,
/// the raw (still percent-encoded) path and query, every header, and the SHA-256 of the body. No
/// HTTP framework types, so the verifier can be tested with plain values.
/// </summary>
public sealed record SignedRequest
{
    /// <summary>Hex SHA-256 of an empty body.</summary>
    public const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="rawPath">The path as received on the wire (percent-encoded, no query).</param>
    /// <param name="rawQuery">The query string as received, without the leading <c>?</c>.</param>
    /// <param name="headers">Every header line; repeated names keep every value, in order.</param>
    /// <param name="payloadSha256">Lowercase hex SHA-256 of the body.</param>
    public SignedRequest(
        string method,
        string rawPath,
        string rawQuery,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(payloadSha256);

        Method = method;
        RawPath = rawPath;
        RawQuery = rawQuery?.TrimStart('?') ?? string.Empty;
        PayloadSha256 = payloadSha256.ToLowerInvariant();

        // One dictionary; a header sent once (nearly all) keeps its value in a one-element array.
        var byName = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            var text = value ?? string.Empty;
            if (!byName.TryGetValue(name, out var values))
            {
                byName.Add(name, new[] { text });
            }
            else if (values is List<string> list)
            {
                list.Add(text);
            }
            else
            {
                byName[name] = new List<string>(values) { text };
            }
        }

        Headers = byName;
    }

    public string Method { get; }

    public string RawPath { get; }

    public string RawQuery { get; }

    /// <summary>Header name (case-insensitive) to its values in arrival order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    public string PayloadSha256 { get; }

    /// <summary>Builds a request from a raw target (<c>/path?query</c>) and the body bytes.</summary>
    public static SignedRequest Create(
        string method,
        string rawTarget,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        return new SignedRequest(method, path, query, headers, Sha256Hex(body));
    }

    /// <summary>Lowercase hex SHA-256, the payload hash SigV4 signs.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The values of one header, or an empty list.</summary>
    public IReadOnlyList<string> GetHeaderValues(string name) =>
        Headers.TryGetValue(name, out var values) ? values : [];

    /// <summary>The first value of one header, or null.</summary>
    public string? GetHeader(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
