using FuncSecrets.Core.Jobs;

namespace FuncSecrets.Functions;

/// <summary>The functions of the app and the app settings their timer schedules come from.</summary>
public static class FunctionNames
{
    /// <summary>The HTTP trigger that carries every request (catch-all route, every path to the pipeline).</summary>
    public const string SecretsApi = "SecretsApi";

    /// <summary>Timer: removes secrets whose recovery window has ended.</summary>
    public const string PurgeDeletedSecrets = PurgeDeletedSecretsJob.JobName;

    /// <summary>Timer: starts the rotations that are due.</summary>
    public const string RotateSecrets = RotateSecretsJob.JobName;

    /// <summary>Timer: retries replicas the write path could not bring in step (issue 14).</summary>
    public const string ReplicateSecrets = Core.Replication.ReplicateSecretsJob.JobName;

    /// <summary>
    /// The timers' schedules, as binding expressions the Functions host resolves from its
    /// configuration when it indexes the functions. The host reads app settings as configuration
    /// keys, so the colon form names the app setting <c>FuncSecrets__Jobs__PurgeSchedule</c>.
    /// </summary>
    public const string PurgeSchedule = "%FuncSecrets:Jobs:PurgeSchedule%";

    /// <inheritdoc cref="PurgeSchedule"/>
    public const string RotateSchedule = "%FuncSecrets:Jobs:RotateSchedule%";

    /// <inheritdoc cref="PurgeSchedule"/>
    public const string ReplicateSchedule = "%FuncSecrets:Jobs:ReplicateSchedule%";
}
