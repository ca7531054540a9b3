using System.Diagnostics;
using FuncSecrets.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Functions;

/// <summary>
/// The timer functions. Each runs the <see cref="IScheduledJob"/> of its name once; the Functions
/// host makes a timer a singleton across instances and reads the schedule from an app setting.
/// A failure is logged and rethrown, so the host records the run as failed; the job is
/// idempotent and the next tick finishes the work.
/// </summary>
public sealed class JobFunctions(IEnumerable<IScheduledJob> jobs, ILogger<JobFunctions> logger)
{
    [Function(FunctionNames.PurgeDeletedSecrets)]
    public Task PurgeDeletedSecretsAsync([TimerTrigger(FunctionNames.PurgeSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.PurgeDeletedSecrets, timer, cancellationToken);

    [Function(FunctionNames.RotateSecrets)]
    public Task RotateSecretsAsync([TimerTrigger(FunctionNames.RotateSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.RotateSecrets, timer, cancellationToken);

    [Function(FunctionNames.ReplicateSecrets)]
    public Task ReplicateSecretsAsync([TimerTrigger(FunctionNames.ReplicateSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.ReplicateSecrets, timer, cancellationToken);

    private async Task RunAsync(string name, TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        Log.TimerInvoked(logger, name, timer.IsPastDue);

        // The first job registered under the name wins, as in the standalone scheduler.
        var job = jobs.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.Ordinal));
        if (job is null)
        {
            Log.JobNotConfigured(logger, name);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await job.RunOnceAsync(cancellationToken);
            Log.JobFinished(logger, name, result.Examined, result.Processed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.JobFailed(logger, error, name);
            throw;
        }
    }
}
