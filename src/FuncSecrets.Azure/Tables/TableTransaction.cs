using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FuncSecrets.Azure.Tables;

/// <summary>The operations an entity-group transaction can hold (names as Azure.Data.Tables spells them).</summary>
internal enum TableTransactionActionType
{
    /// <summary>Insert; fails with 409 when the entity exists.</summary>
    Add,

    /// <summary>Replace conditional on the ETag (or <c>*</c>); 404 when absent, 412 on a changed ETag.</summary>
    UpdateReplace,

    /// <summary>Merge conditional on the ETag (or <c>*</c>).</summary>
    UpdateMerge,

    /// <summary>Insert or replace, unconditionally.</summary>
    UpsertReplace,

    /// <summary>Delete conditional on the ETag (or <c>*</c>); 404 when absent.</summary>
    Delete,
}

/// <summary>One operation of a transaction. <see cref="ETag"/> null means <c>If-Match: *</c>.</summary>
internal sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, string? ETag = null);

/// <summary>
/// The outcome of a transaction: every operation applied (with the ETags the service returned,
/// one per operation, null for deletes), or none applied and the index of the one that failed.
/// </summary>
internal sealed record TableTransactionResult(
    bool Succeeded,
    IReadOnlyList<string?> ETags,
    int FailedIndex = -1,
    int FailedStatus = 0,
    string? FailedErrorCode = null)
{
    public static TableTransactionResult Success(IReadOnlyList<string?> etags) => new(true, etags);

    public static TableTransactionResult Failure(int index, int status, string? errorCode) => new(false, [], index, status, errorCode);
}

/// <summary>
/// Writes and reads the <c>$batch</c> wire format ("Performing entity group transactions"): a
/// multipart/mixed batch holding one multipart/mixed change set, each part an embedded HTTP
/// request with an absolute URI. The answer mirrors it: one embedded response per operation on
/// success; on failure a single embedded error response whose message starts with the 0-based
/// index of the failing operation (<c>"1:The specified entity already exists."</c>).
/// </summary>
internal static partial class TableTransaction
{
    /// <summary>The service's limit of operations in one change set.</summary>
    public const int MaxActions = 100;

    private const string Crlf = "\r\n";

    public static byte[] BuildBody(
        IReadOnlyList<TableTransactionAction> actions,
        string batchBoundary,
        string changesetBoundary,
        Func<TableEntity, string> tableUri,
        Func<TableEntity, string> entityUri)
    {
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append(Crlf);
        body.Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf).Append(Crlf);
        foreach (var action in actions)
        {
            body.Append("--").Append(changesetBoundary).Append(Crlf);
            body.Append("Content-Type: application/http").Append(Crlf);
            body.Append("Content-Transfer-Encoding: binary").Append(Crlf).Append(Crlf);

            var (method, uri) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", tableUri(action.Entity)),
                TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpsertReplace => ("PUT", entityUri(action.Entity)),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUri(action.Entity)),
                TableTransactionActionType.Delete => ("DELETE", entityUri(action.Entity)),
                _ => throw new ArgumentOutOfRangeException(nameof(actions)),
            };
            body.Append(method).Append(' ').Append(uri).Append(" HTTP/1.1").Append(Crlf);
            body.Append("Accept: application/json;odata=minimalmetadata").Append(Crlf);
            body.Append("DataServiceVersion: 3.0;").Append(Crlf);
            if (action.ActionType is TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpdateMerge or TableTransactionActionType.Delete)
            {
                body.Append("If-Match: ").Append(action.ETag ?? "*").Append(Crlf);
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                body.Append(Crlf);
                continue;
            }

            body.Append("Content-Type: application/json").Append(Crlf);
            if (action.ActionType == TableTransactionActionType.Add)
            {
                body.Append("Prefer: return-no-content").Append(Crlf);
            }

            body.Append(Crlf);
            // Compact JSON on one line: no line of the body can look like a boundary.
            body.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(action.Entity))).Append(Crlf);
        }

        body.Append("--").Append(changesetBoundary).Append("--").Append(Crlf);
        body.Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    /// <summary>
    /// Reads the embedded responses of a <c>$batch</c> answer. Tolerant of framing details (it
    /// looks for the embedded status lines, not for specific boundaries), strict about outcomes:
    /// success needs a 2xx for every operation.
    /// </summary>
    public static TableTransactionResult ParseResponse(string body, int actionCount)
    {
        var parts = ReadEmbeddedResponses(body);
        var failed = parts.FindIndex(p => p.Status is < 200 or > 299);
        if (failed < 0)
        {
            if (parts.Count != actionCount)
            {
                throw new FormatException($"The batch response holds {parts.Count} responses for {actionCount} operations.");
            }

            return TableTransactionResult.Success(parts.Select(p => p.ETag).ToList());
        }

        var part = parts[failed];
        var (errorCode, index) = ReadError(part.Body);
        if (index is null || index >= actionCount)
        {
            // No "n:" prefix: fall back on Content-ID (1-based), then on the part's position.
            index = part.ContentId is { } id && id >= 1 && id <= actionCount ? id - 1 : Math.Min(failed, actionCount - 1);
        }

        return TableTransactionResult.Failure(index.Value, part.Status, errorCode);
    }

    private static List<EmbeddedResponse> ReadEmbeddedResponses(string body)
    {
        var responses = new List<EmbeddedResponse>();
        var lines = body.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = StatusLine().Match(lines[i].TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var status = int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            string? etag = null;
            int? contentId = null;
            for (i++; i < lines.Length && lines[i].TrimEnd('\r').Length > 0; i++)
            {
                var line = lines[i].TrimEnd('\r');
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("ETag", StringComparison.OrdinalIgnoreCase))
                {
                    etag = value;
                }
                else if (name.Equals("Content-ID", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    contentId = id;
                }
            }

            var content = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                content.Append(lines[i].TrimEnd('\r'));
            }

            i--;
            responses.Add(new EmbeddedResponse(status, etag, contentId, content.ToString()));
        }

        return responses;
    }

    private static (string? ErrorCode, int? Index) ReadError(string content)
    {
        var code = ErrorCode().Match(content);
        var index = IndexPrefix().Match(content);
        return (
            code.Success ? code.Groups[1].Value : null,
            index.Success && int.TryParse(index.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null);
    }

    [GeneratedRegex(@"^HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLine();

    // {"odata.error":{"code":"UpdateConditionNotSatisfied","message":{"lang":"en-US","value":"0:The update ..."}}}
    [GeneratedRegex("\"code\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("\"value\"\\s*:\\s*\"(\\d+):")]
    private static partial Regex IndexPrefix();

    private sealed record EmbeddedResponse(int Status, string? ETag, int? ContentId, string Body);
}
