namespace FuncSecrets.Server;

/// <summary>
/// Everything the standalone server logs beyond the pipeline's own log, in one file: no secret
/// value or key is ever a parameter.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4, LogLevel.Information, "FuncSecrets listening on {Urls} (standalone)")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(6, LogLevel.Information, "Job {Job} finished: {Processed} processed in {ElapsedMs} ms")]
    public static partial void JobFinished(ILogger logger, string job, int processed, long elapsedMs);

    [LoggerMessage(7, LogLevel.Error, "Job {Job} failed")]
    public static partial void JobFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(103, LogLevel.Information, "Standalone scheduler runs the scheduled jobs every {IntervalSeconds} s")]
    public static partial void SchedulerStarted(ILogger logger, int intervalSeconds);

    [LoggerMessage(104, LogLevel.Information, "Standalone scheduler is idle: {Reason}")]
    public static partial void SchedulerIdle(ILogger logger, string reason);
}
