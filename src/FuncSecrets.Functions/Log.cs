using Microsoft.Extensions.Logging;

namespace FuncSecrets.Functions;

/// <summary>Everything the worker logs beyond the pipeline's own log: no secret value is ever a parameter.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Timer {Job} invoked by the Functions host (past due: {PastDue})")]
    public static partial void TimerInvoked(ILogger logger, string job, bool pastDue);

    [LoggerMessage(101, LogLevel.Information, "Timer {Job} has no job in this deployment: nothing to do")]
    public static partial void JobNotConfigured(ILogger logger, string job);

    [LoggerMessage(106, LogLevel.Information, "Job {Job} finished: {Examined} examined, {Processed} processed in {ElapsedMs} ms")]
    public static partial void JobFinished(ILogger logger, string job, int examined, int processed, long elapsedMs);

    [LoggerMessage(107, LogLevel.Error, "Job {Job} failed")]
    public static partial void JobFailed(ILogger logger, Exception exception, string job);
}
