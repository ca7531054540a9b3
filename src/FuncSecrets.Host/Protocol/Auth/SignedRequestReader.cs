using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using FuncSecrets.Core.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace FuncSecrets.Host.Protocol.Auth;

/// <summary>
/// Turns an ASP.NET Core request into the <see cref="SignedRequest"/> the verifier checks: the
/// raw request target as it came off the wire (not the decoded <c>Request.Path</c>), every header,
/// the host the client signed, and the SHA-256 of the body.
/// </summary>
public static class SignedRequestReader
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>
    /// Reads (and rewinds) the body to hash it; the body stays readable for the handler.
    /// </summary>
    public static async Task<SignedRequest> FromHttpRequestAsync(HttpRequest request, ForwardedHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.EnableBuffering();
        request.Body.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            request.Body.Position = 0;
        }

        return Build(request, options, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>For a body the caller has already read whole.</summary>
    public static SignedRequest FromHttpRequest(HttpRequest request, ReadOnlySpan<byte> body, ForwardedHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build(request, options, SignedRequest.Sha256Hex(body));
    }

    private static SignedRequest Build(HttpRequest request, ForwardedHostOptions options, string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (path, query) = SplitTarget(RawTarget(request));
        var host = SignedHost(request, options);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                headers.Add(new(name, value ?? string.Empty));
            }
        }

        if (host is not null)
        {
            headers.Add(new("Host", host));
        }

        return new SignedRequest(request.Method, path, query, headers, payloadSha256);
    }

    // Kestrel keeps the target exactly as sent; TestServer and other servers may not set it, and
    // then the re-escaped PathBase + Path + QueryString is the closest thing.
    private static string RawTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw)
            ? request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent()
            : raw;
    }

    private static (string Path, string Query) SplitTarget(string target)
    {
        // The absolute form (a proxy's "GET http://host/path") carries the path after the authority.
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var pathStart = target.IndexOf('/', target.IndexOf("//", StringComparison.Ordinal) + 2);
            target = pathStart < 0 ? "/" : target[pathStart..];
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, string.Empty) : (target[..question], target[(question + 1)..]);
    }

    private static string? SignedHost(HttpRequest request, ForwardedHostOptions options)
    {
        var trusted = options.TrustForwardedHost ?? IsLoopback(request.HttpContext.Connection.RemoteIpAddress);
        if (trusted)
        {
            foreach (var header in options.HostHeaders)
            {
                // A forwarder appends; the last entry is the one the nearest (trusted) hop saw.
                var forwarded = request.Headers[header].ToString();
                var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
                if (!string.IsNullOrEmpty(last))
                {
                    return last;
                }
            }
        }

        var host = request.Headers.Host.ToString();
        return host.Length == 0 ? null : host;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
