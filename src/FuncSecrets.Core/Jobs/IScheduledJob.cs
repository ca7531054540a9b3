namespace FuncSecrets.Core.Jobs;

/// <summary>
/// A job that runs on a schedule: under Azure Functions a timer-triggered function of the same
/// <see cref="Name"/> invokes it; standalone, the in-process scheduler runs every registered job.
/// Implementations must be idempotent and safe to run twice at once (a standalone tick and a
/// manual run may overlap; the Functions timer is a singleton but retries after a failure).
/// </summary>
public interface IScheduledJob
{
    /// <summary>The job's name: also the name of the timer function (its folder) that runs it.</summary>
    string Name { get; }

    /// <summary>Runs one pass over whatever is due now.</summary>
    Task<JobResult> RunOnceAsync(CancellationToken cancellationToken);
}
