using FuncSecrets.Core.Logging;

namespace FuncSecrets.Host;

/// <summary>
/// Everything the host logs, in one file, so a reviewer can see that no secret value or secret
/// key is ever a parameter.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Unhandled error in {Operation} (request {RequestId})")]
    public static partial void UnhandledError(ILogger logger, Exception exception, LogText operation, LogText requestId);

    // Debug: the audit record is the per-call record; this line is there when asked for (issue 15).
    [LoggerMessage(2, LogLevel.Debug, "{Operation} answered {Status} {Code} in {ElapsedMs} ms (request {RequestId})")]
    public static partial void Answered(ILogger logger, LogText operation, int status, LogText code, long elapsedMs, LogText requestId);

    [LoggerMessage(3, LogLevel.Warning, "Storage unavailable during {Operation} (request {RequestId}): {Reason}")]
    public static partial void StorageUnavailable(ILogger logger, LogText operation, LogText requestId, LogText reason);

    [LoggerMessage(5, LogLevel.Warning, "{Warning}")]
    public static partial void StartupWarning(ILogger logger, LogText warning);
}
