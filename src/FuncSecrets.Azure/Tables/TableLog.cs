using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Everything the Table Storage layer logs. Parameters are operation names, statuses, error codes
/// and exception type names: never entity contents, keys, secret names or exception messages
/// (the SDK's messages quote request URIs, which hold escaped secret names).
/// </summary>
internal static partial class TableLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Table storage is unavailable: {Operation} failed after retries with status {Status} ({ErrorCode}).")]
    public static partial void StorageUnavailableStatus(ILogger logger, string operation, int status, string? errorCode);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Table storage is unreachable: {Operation} got no answer within its {BudgetMs} ms budget ({Failure}).")]
    public static partial void StorageUnreachable(ILogger logger, string operation, double budgetMs, string failure);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "Table storage answered {Operation} with unexpected status {Status} ({ErrorCode}).")]
    public static partial void UnexpectedStatus(ILogger logger, string operation, int status, string? errorCode);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Table storage transaction {Operation} failed at operation {Index} with status {Status} ({ErrorCode}).")]
    public static partial void TransactionFailed(ILogger logger, string operation, int index, int status, string? errorCode);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error,
        Message = "Table storage is down: calls fail at once until a probe gets an answer.")]
    public static partial void CircuitOpened(ILogger logger);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information,
        Message = "Table storage answers again: calls go through.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "Table storage rows kept changing during {Operation}; gave up after bounded retries.")]
    public static partial void Contended(ILogger logger, string operation);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information,
        Message = "The listing index of table {Table} was rebuilt from every secret's metadata row.")]
    public static partial void ListIndexRebuilt(ILogger logger, string table);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning,
        Message = "Confirming listing-index rows after a committed write failed; readers and the purge timer's sweep settle them.")]
    public static partial void ListIndexConfirmFailed(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Listing-index sweep: {Examined} unconfirmed rows examined, {Settled} old enough to settle.")]
    public static partial void ListIndexSwept(ILogger logger, int examined, int settled);
}
