namespace FuncSecrets.Server;

/// <summary>
/// Scheduling of the jobs, bound from <c>FuncSecrets:Jobs</c>. Under Azure Functions the two
/// schedules are read by the Functions host itself, through the binding expressions
/// <c>%FuncSecrets:Jobs:PurgeSchedule%</c>, <c>%FuncSecrets:Jobs:RotateSchedule%</c> and <c>%FuncSecrets:Jobs:ReplicateSchedule%</c> of the
/// worker's timer triggers (app settings <c>FuncSecrets__Jobs__PurgeSchedule</c> ...); standalone,
/// the in-process scheduler runs every job each <see cref="StandaloneIntervalSeconds"/>.
/// </summary>
public sealed class JobsOptions
{
    public const string SectionName = "FuncSecrets:Jobs";

    /// <summary>Default purge schedule (NCRONTAB, six fields with seconds): hourly, on the half hour.</summary>
    public const string DefaultPurgeSchedule = "0 30 * * * *";

    /// <summary>Default rotation schedule (NCRONTAB): every 15 minutes.</summary>
    public const string DefaultRotateSchedule = "0 */15 * * * *";

    /// <summary>Default replication retry schedule (NCRONTAB): every 5 minutes (issue 14).</summary>
    public const string DefaultReplicateSchedule = "0 */5 * * * *";

    /// <summary>NCRONTAB schedule of the <c>PurgeDeletedSecrets</c> timer function.</summary>
    public string PurgeSchedule { get; set; } = DefaultPurgeSchedule;

    /// <summary>NCRONTAB schedule of the <c>RotateSecrets</c> timer function.</summary>
    public string RotateSchedule { get; set; } = DefaultRotateSchedule;

    /// <summary>NCRONTAB schedule of the <c>ReplicateSecrets</c> timer function.</summary>
    public string ReplicateSchedule { get; set; } = DefaultReplicateSchedule;

    /// <summary>Standalone only: seconds between two runs of every job; 0 switches the scheduler off.</summary>
    public int StandaloneIntervalSeconds { get; set; } = 300;

    public static JobsOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName).Get<JobsOptions>() ?? new JobsOptions();
    }
}
