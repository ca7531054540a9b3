using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// Verifies AWS Signature Version 4, in the <c>Authorization</c> header form and the presigned
/// query form, as AWS's JSON service front end does. Checks run in AWS's order, so a request
/// with several faults gets the error AWS would give: both forms present, missing
/// authentication, incomplete parameters, date format, clock window, <c>host</c> signed,
/// algorithm, credential shape, credential scope, key id, signature, session token.
/// </summary>
public sealed class SigV4Verifier
{
    /// <summary>The signing name of AWS Secrets Manager.</summary>
    public const string DefaultService = "secretsmanager";

    /// <summary>AWS's clock-skew allowance for signed requests, either way.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    // A canonical-request builder grown past this by a huge request is not kept for the thread.
    private const int MaxKeptCanonicalChars = 16 * 1024;

    // SHA-256 of zero bytes.
    private const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // The canonical request of the current call, reused by each thread (issue 15: one builder per
    // thread, not a string per header, per request and per string to sign). It holds the signed
    // header values, a session token among them, so it is wiped after each call.
    [ThreadStatic]
    private static StringBuilder? t_canonical;

    private readonly AccessKeyStore _keys;
    private readonly string _region;
    private readonly string _service;
    private readonly TimeProvider _time;

    /// <param name="keys">The configured access keys.</param>
    /// <param name="region">The region a credential scope must name (<see cref="ServiceOptions.Region"/>).</param>
    /// <param name="timeProvider">The clock the signing time is checked against.</param>
    /// <param name="service">The service a credential scope must name; other values only for test vectors.</param>
    /// <param name="enabled">False makes every request anonymous (<see cref="AuthOptions.Enabled"/>).</param>
    public SigV4Verifier(AccessKeyStore keys, string region, TimeProvider timeProvider, string service = DefaultService, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrEmpty(service);
        _keys = keys;
        _region = region;
        _time = timeProvider;
        _service = service;
        Enabled = enabled;
    }

    /// <summary>False when authentication is switched off; <see cref="Verify"/> then returns null.</summary>
    public bool Enabled { get; }

    /// <summary>The authenticated caller; throws an auth <see cref="AwsException"/> otherwise.</summary>
    public Task<CallerIdentity?> VerifyAsync(SignedRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Verify(request));
    }

    /// <summary>The authenticated caller, or null when authentication is off; throws otherwise.</summary>
    public CallerIdentity? Verify(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enabled)
        {
            return null;
        }

        var query = SigV4Canonicalizer.ParseQuery(request.RawQuery);
        var header = request.GetHeader(SigV4Parameters.AuthorizationHeader);
        var hasHeader = !string.IsNullOrWhiteSpace(header);
        var hasQuery = SigV4Parameters.Find(query, SigV4Parameters.QueryAlgorithm) is not null;
        if (hasHeader && hasQuery)
        {
            throw AwsErrors.BothAuthenticationForms();
        }

        if (!hasHeader && !hasQuery)
        {
            throw AwsErrors.MissingAuthenticationToken();
        }

        var parameters = hasHeader ? SigV4Parameters.FromHeader(request, header!) : SigV4Parameters.FromQuery(query);
        CheckClock(parameters);

        var signedHeaders = SignedHeaderNames(parameters.SignedHeaders);
        if (!signedHeaders.Contains("host"))
        {
            throw AwsErrors.HostNotSigned();
        }

        // The header that selects the operation must be signed, or a captured signature could be
        // replayed as another operation (issue 11: a signed GetSecretValue sent as DeleteSecret).
        if (request.GetHeader(SigV4Parameters.TargetHeader) is not null && !signedHeaders.Contains("x-amz-target"))
        {
            throw AwsErrors.TargetNotSigned();
        }

        if (!string.Equals(parameters.Algorithm, SigV4Parameters.Algorithm4, StringComparison.Ordinal))
        {
            throw AwsErrors.UnsupportedSigningAlgorithm(parameters.Algorithm);
        }

        var scope = CredentialScope.Parse(parameters.Credential);
        scope.Validate(_region, _service, parameters.Timestamp);

        var key = _keys.Find(scope.AccessKeyId) ?? throw AwsErrors.UnrecognizedClient();
        if (!SignatureMatches(request, query, parameters, signedHeaders, scope, key))
        {
            throw AwsErrors.SignatureMismatch();
        }

        CheckSessionToken(key, parameters.SecurityToken);
        return new CallerIdentity(key.AccessKeyId, key.PrincipalArn);
    }

    private static bool SignatureMatches(
        SignedRequest request,
        IReadOnlyList<KeyValuePair<string, string>> query,
        SigV4Parameters parameters,
        IReadOnlyList<string> signedHeaders,
        CredentialScope scope,
        AccessKey key)
    {
        var payloadHashes = PayloadHashes(request, query, parameters.Presigned);
        var canonicalQuery = SigV4Canonicalizer.CanonicalQuery(query, parameters.Presigned ? SigV4Parameters.QuerySignature : null);
        var provided = DecodeSignature(parameters.Signature);
        var signingKey = key.SigningKey(scope);
        var canonical = t_canonical ?? new StringBuilder(512);
        t_canonical = null;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var payloadHash in payloadHashes)
        {
            canonical.Clear();
            SigV4Canonicalizer.AppendCanonicalRequest(canonical, request, canonicalQuery, signedHeaders, parameters.SignedHeaders, payloadHash);
            Sign(signingKey, parameters.Timestamp, scope, canonical, expected);

            // Constant time, so the time taken says nothing about how much of a guess was right.
            matched |= CryptographicOperations.FixedTimeEquals(expected, provided);
        }

        // Wiped before it waits for the next call; one grown by a huge request is let go rather
        // than kept for the thread's life.
        var used = canonical.Length;
        canonical.Clear().Append('\0', used).Clear();
        if (canonical.Capacity <= MaxKeptCanonicalChars)
        {
            t_canonical = canonical;
        }

        return matched;
    }

    /// <summary>The <c>SignedHeaders</c> names, lower case, in the order the client listed them.</summary>
    private static List<string> SignedHeaderNames(string signedHeaders)
    {
        var names = new List<string>(8);
        foreach (var range in signedHeaders.AsSpan().Split(';'))
        {
            // ToLowerInvariant returns the string itself when it is lower case already.
            names.Add(signedHeaders[range].ToLowerInvariant());
        }

        return names;
    }

    /// <summary>
    /// Header form: the signing time within 5 minutes of now, either way. Presigned form: not more
    /// than 5 minutes in the future, and not older than <c>X-Amz-Expires</c> (at most 7 days) when
    /// given. AWS's JSON services ignore <c>X-Amz-Expires</c> and apply the 5-minute window to
    /// presigned requests too (aws/aws-sdk-go#2167; API Gateway's "Signature expired ... - 5 min."
    /// for a presigned URL with X-Amz-Expires), so there is no AWS text for a presigned URL past
    /// its own expiry: we answer with the same "Signature expired" form, naming that window.
    /// </summary>
    private void CheckClock(SigV4Parameters parameters)
    {
        var now = _time.GetUtcNow();
        var pastWindow = parameters.Expires ?? ClockSkew;
        if (parameters.SignedAt < now - pastWindow)
        {
            throw AwsErrors.SignatureExpired(parameters.SignedAt, now, pastWindow);
        }

        if (parameters.SignedAt > now + ClockSkew)
        {
            throw AwsErrors.SignatureNotYetCurrent(parameters.SignedAt, now, ClockSkew);
        }
    }

    /// <summary>
    /// The payload hashes a correct signature may have used. Header form: the real hash of the
    /// body, or the <c>x-amz-content-sha256</c> value when sent, which must then equal it.
    /// Presigned form: the same, or <c>UNSIGNED-PAYLOAD</c> (botocore's <c>SigV4QueryAuth</c>
    /// always signs that; other SDKs sign the body hash) but only for an empty body: a JSON or
    /// form body names the operation's input (the Query protocol even its Action), so a signature
    /// must cover it (issue 11).
    /// </summary>
    private static List<string> PayloadHashes(SignedRequest request, IReadOnlyList<KeyValuePair<string, string>> query, bool presigned)
    {
        var declared = request.GetHeader(SigV4Parameters.ContentSha256Header);
        if (presigned)
        {
            declared ??= SigV4Parameters.Find(query, SigV4Parameters.QueryContentSha256);
        }

        var unsignedAllowed = presigned && string.Equals(request.PayloadSha256, EmptyPayloadSha256, StringComparison.OrdinalIgnoreCase);
        if (declared is null)
        {
            return unsignedAllowed ? [request.PayloadSha256, UnsignedPayload] : [request.PayloadSha256];
        }

        if (unsignedAllowed && string.Equals(declared, UnsignedPayload, StringComparison.Ordinal))
        {
            return [declared];
        }

        // A declared hash that is not the body's is a tampered body or a streaming/unsigned
        // payload the header form does not allow: the same answer as any wrong signature.
        return string.Equals(declared, request.PayloadSha256, StringComparison.OrdinalIgnoreCase)
            ? [declared]
            : throw AwsErrors.SignatureMismatch();
    }

    private static void CheckSessionToken(AccessKey key, string? presented)
    {
        if (key.SessionToken is null && presented is null)
        {
            return;
        }

        if (key.SessionToken is null || presented is null
            || !CryptographicOperations.FixedTimeEquals(key.SessionToken, Encoding.UTF8.GetBytes(presented)))
        {
            throw AwsErrors.SecurityTokenInvalid();
        }
    }

    // kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
    internal static byte[] DeriveSigningKey(byte[] signingSecret, CredentialScope scope)
    {
        var kDate = HMACSHA256.HashData(signingSecret, Encoding.UTF8.GetBytes(scope.Date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(scope.Region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(scope.Service));
        var kSigning = HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes(scope.Terminator));
        CryptographicOperations.ZeroMemory(kDate);
        CryptographicOperations.ZeroMemory(kRegion);
        CryptographicOperations.ZeroMemory(kService);
        return kSigning;
    }

    /// <summary>
    /// signature = HMAC(kSigning, "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" +
    /// hex(SHA-256(canonical request))), computed in pooled buffers: the canonical request and the
    /// string to sign are never strings of their own.
    /// </summary>
    internal static void Sign(byte[] signingKey, string timestamp, CredentialScope scope, StringBuilder canonicalRequest, Span<byte> signature)
    {
        var scopeText = scope.Scope;
        var stringToSignLength = SigV4Parameters.Algorithm4.Length + timestamp.Length + scopeText.Length + 3 + (2 * SHA256.HashSizeInBytes);
        var charCount = Math.Max(canonicalRequest.Length, stringToSignLength);
        var chars = ArrayPool<char>.Shared.Rent(charCount);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(charCount));
        try
        {
            // One contiguous copy first: encoding the builder chunk by chunk could split a surrogate pair.
            canonicalRequest.CopyTo(0, chars, 0, canonicalRequest.Length);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, Encoding.UTF8.GetBytes(chars.AsSpan(0, canonicalRequest.Length), bytes)), hash);

            var text = chars.AsSpan();
            var length = 0;
            Append(text, ref length, SigV4Parameters.Algorithm4);
            Append(text, ref length, timestamp);
            Append(text, ref length, scopeText);
            Convert.TryToHexStringLower(hash, text[length..], out var hexLength);
            length += hexLength;
            HMACSHA256.HashData(signingKey, bytes.AsSpan(0, Encoding.UTF8.GetBytes(text[..length], bytes)), signature);
        }
        finally
        {
            // Other code rents these next: they go back wiped (a session token may be in them).
            ArrayPool<char>.Shared.Return(chars, clearArray: true);
            ArrayPool<byte>.Shared.Return(bytes, clearArray: true);
        }

        static void Append(Span<char> text, ref int length, string part)
        {
            part.CopyTo(text[length..]);
            length += part.Length;
            text[length++] = '\n';
        }
    }

    // A signature that is not 64 hex digits can match nothing; an empty array keeps the compare
    // (and so the error) the same as for a wrong signature.
    private static byte[] DecodeSignature(string signature)
    {
        if (signature.Length != 64)
        {
            return [];
        }

        try
        {
            return Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
