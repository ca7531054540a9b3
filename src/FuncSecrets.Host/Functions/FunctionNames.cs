using FuncSecrets.Core.Jobs;

namespace FuncSecrets.Host.Functions;

/// <summary>
/// The functions of the Functions app. Each is a folder holding a <c>function.json</c> at the
/// package root; the Functions host invokes a custom handler at <c>/{name}</c> for every trigger
/// except the HTTP one, which it relays as the original request.
/// </summary>
public static class FunctionNames
{
    /// <summary>The HTTP trigger that carries every AWS API call (catch-all route).</summary>
    public const string SecretsApi = "SecretsApi";

    /// <summary>Timer: removes secrets whose recovery window has ended.</summary>
    public const string PurgeDeletedSecrets = PurgeDeletedSecretsJob.JobName;

    /// <summary>Timer: starts the rotations that are due.</summary>
    public const string RotateSecrets = "RotateSecrets";

    /// <summary>The timer-triggered functions, each run by the <see cref="IScheduledJob"/> of the same name.</summary>
    public static IReadOnlyList<string> Timers { get; } = [PurgeDeletedSecrets, RotateSecrets];

    /// <summary>Every function folder the package must contain.</summary>
    public static IReadOnlyList<string> All { get; } = [SecretsApi, .. Timers];
}
