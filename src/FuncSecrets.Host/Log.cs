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

    [LoggerMessage(2, LogLevel.Information, "{Operation} answered {Status} {Code} in {ElapsedMs} ms (request {RequestId})")]
    public static partial void Answered(ILogger logger, LogText operation, int status, LogText code, long elapsedMs, LogText requestId);

    [LoggerMessage(3, LogLevel.Warning, "Storage unavailable during {Operation} (request {RequestId}): {Reason}")]
    public static partial void StorageUnavailable(ILogger logger, LogText operation, LogText requestId, LogText reason);

    [LoggerMessage(4, LogLevel.Information, "FuncSecrets listening on {Urls} ({Mode} mode)")]
    public static partial void Listening(ILogger logger, LogText urls, LogText mode);

    [LoggerMessage(5, LogLevel.Warning, "{Warning}")]
    public static partial void StartupWarning(ILogger logger, LogText warning);

    [LoggerMessage(6, LogLevel.Information, "Job {Job} finished: {Processed} processed in {ElapsedMs} ms")]
    public static partial void JobFinished(ILogger logger, LogText job, int processed, long elapsedMs);

    [LoggerMessage(7, LogLevel.Error, "Job {Job} failed")]
    public static partial void JobFailed(ILogger logger, Exception exception, LogText job);

    // ---- Timer functions and the standalone scheduler (100-) ------------------------------
    [LoggerMessage(100, LogLevel.Information, "Timer {Job} invoked by the Functions host (invocation {InvocationId}, past due: {PastDue})")]
    public static partial void TimerInvoked(ILogger logger, LogText job, LogText invocationId, bool pastDue);

    [LoggerMessage(101, LogLevel.Information, "Timer {Job} has no job in this deployment: nothing to do")]
    public static partial void JobNotConfigured(ILogger logger, LogText job);

    [LoggerMessage(102, LogLevel.Warning, "Timer {Job} abandoned: the Functions host closed invocation {InvocationId} before the job finished")]
    public static partial void TimerAbandoned(ILogger logger, LogText job, LogText invocationId);

    [LoggerMessage(103, LogLevel.Information, "Standalone scheduler runs the scheduled jobs every {IntervalSeconds} s")]
    public static partial void SchedulerStarted(ILogger logger, int intervalSeconds);

    [LoggerMessage(104, LogLevel.Information, "Standalone scheduler is idle: {Reason}")]
    public static partial void SchedulerIdle(ILogger logger, LogText reason);
}
