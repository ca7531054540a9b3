using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Everything the Table Storage layer logs. Parameters are operation names, statuses, error codes
/// and request ids: never entity contents, keys or secret names.
/// </summary>
internal static partial class TableLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Table storage is unavailable: {Operation} failed after retries with status {Status} ({ErrorCode}), request id {RequestId}.")]
    public static partial void StorageUnavailableStatus(ILogger logger, string operation, int status, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Table storage is unreachable: {Operation} failed after retries.")]
    public static partial void StorageUnreachable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "Table storage answered {Operation} with unexpected status {Status} ({ErrorCode}), request id {RequestId}.")]
    public static partial void UnexpectedStatus(ILogger logger, string operation, int status, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Table storage transaction {Operation} failed at operation {Index} with status {Status} ({ErrorCode}).")]
    public static partial void TransactionFailed(ILogger logger, string operation, int index, int status, string? errorCode);
}
