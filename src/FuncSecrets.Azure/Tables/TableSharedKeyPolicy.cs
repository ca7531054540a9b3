using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Signs each Table service request with the account key (scheme <c>SharedKey</c>, Table
/// service form). Runs per retry so every attempt carries a fresh <c>x-ms-date</c>.
/// </summary>
/// <remarks>
/// "Authorize with Shared Key", Table service (2009-09-19 and later):
/// <code>
/// StringToSign = VERB + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n" + CanonicalizedResource
/// </code>
/// Date is the <c>x-ms-date</c> value when the request has no <c>Date</c> header (we send only
/// <c>x-ms-date</c>). CanonicalizedResource is <c>/{account}{path}</c>, the path encoded exactly
/// as sent (for a path-style endpoint such as Azurite's the account appears twice), plus
/// <c>?comp={value}</c> when the query has <c>comp</c>; no other query parameter is signed.
/// Unlike the Blob/Queue form, no x-ms-* headers are canonicalized.
/// </remarks>
internal sealed class TableSharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    public const string DateHeader = "x-ms-date";

    private readonly string _accountName;
    private readonly byte[] _accountKey;
    private readonly TimeProvider _time;

    public TableSharedKeyPolicy(string accountName, byte[] accountKey, TimeProvider? time = null)
    {
        _accountName = accountName;
        _accountKey = accountKey;
        _time = time ?? TimeProvider.System;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue(DateHeader, _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        var signature = Sign(BuildStringToSign(request));
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {_accountName}:{signature}");
    }

    internal string BuildStringToSign(Request request)
    {
        request.Headers.TryGetValue("Content-MD5", out var contentMd5);
        request.Headers.TryGetValue(HttpHeader.Names.ContentType, out var contentType);
        if (!request.Headers.TryGetValue(HttpHeader.Names.Date, out var date))
        {
            request.Headers.TryGetValue(DateHeader, out date);
        }

        return string.Join(
            '\n',
            request.Method.Method.ToUpperInvariant(),
            contentMd5 ?? string.Empty,
            contentType ?? string.Empty,
            date ?? string.Empty,
            CanonicalizedResource(request.Uri));
    }

    private string CanonicalizedResource(RequestUriBuilder uri)
    {
        // RequestUriBuilder.Path is the path as we built it (already escaped), which is what goes
        // on the wire; System.Uri could re-canonicalize escapes.
        var builder = new StringBuilder("/").Append(_accountName);
        builder.Append(uri.Path.Length > 0 ? uri.Path : "/");
        var comp = CompValue(uri.Query);
        if (comp is not null)
        {
            builder.Append("?comp=").Append(comp);
        }

        return builder.ToString();
    }

    private static string? CompValue(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return pair["comp=".Length..];
            }
        }

        return null;
    }

    private string Sign(string stringToSign)
    {
        var mac = HMACSHA256.HashData(_accountKey, Encoding.UTF8.GetBytes(stringToSign));
        return Convert.ToBase64String(mac);
    }
}
