using System.Diagnostics;
using FuncSecrets.Core.Jobs;

namespace FuncSecrets.Server;

/// <summary>
/// Standalone (<c>dotnet run</c>) stand-in for the timer functions: runs every registered
/// <see cref="IScheduledJob"/> shortly after start and then every
/// <see cref="JobsOptions.StandaloneIntervalSeconds"/>, one job after the other. A failure is
/// logged and the next tick tries again; shutdown cancels the pass in progress. Only the
/// standalone server registers it: under Azure Functions the worker's timer functions run the jobs.
/// </summary>
public sealed class StandaloneJobScheduler(
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<StandaloneJobScheduler> logger) : BackgroundService
{
    /// <summary>The first pass runs this long after start (or after one interval, if shorter).</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = JobsOptions.From(configuration);
        if (options.StandaloneIntervalSeconds <= 0)
        {
            Log.SchedulerIdle(logger, "FuncSecrets:Jobs:StandaloneIntervalSeconds is 0");
            return;
        }

        var interval = TimeSpan.FromSeconds(options.StandaloneIntervalSeconds);
        Log.SchedulerStarted(logger, options.StandaloneIntervalSeconds);

        // Created before the first wait, so ticks count from start; a tick that comes while a
        // pass is still running is kept (PeriodicTimer remembers one) and runs right after it.
        using var ticks = new PeriodicTimer(interval, time);
        try
        {
            await Task.Delay(interval < FirstRunDelay ? interval : FirstRunDelay, time, stoppingToken);
            await RunAllAsync(stoppingToken);
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                await RunAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunAllAsync(CancellationToken stoppingToken)
    {
        // Resolved per pass, not at start-up: building a job builds the store, which may be
        // unreachable for a while; then this pass fails, is logged, and the next tick retries.
        IScheduledJob[] scheduled;
        try
        {
            scheduled = services.GetServices<IScheduledJob>().ToArray();
        }
        catch (Exception error)
        {
            Log.JobFailed(logger, error, "(resolving the scheduled jobs)");
            return;
        }

        foreach (var job in scheduled)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await job.RunOnceAsync(stoppingToken);
                Log.JobFinished(logger, job.Name, result.Processed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                // One failing job must not stop the others or the scheduler: log, go on, retry next tick.
                Log.JobFailed(logger, error, job.Name);
            }
        }
    }
}
