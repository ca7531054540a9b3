using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Everything rotation logs, in one place. Parameters are secret names, version ids (tokens),
/// step names, status codes and function names with any query string removed: never a secret
/// value, a function key or a function's response body.
/// </summary>
internal static partial class RotationLog
{
    [LoggerMessage(5001, LogLevel.Information, "Rotation of {Secret} started (version {Token}, function {Function}, {Trigger})")]
    public static partial void Started(ILogger logger, string secret, string token, string function, string trigger);

    [LoggerMessage(5002, LogLevel.Debug, "Rotation of {Secret} (version {Token}): {Step} succeeded in {ElapsedMs} ms")]
    public static partial void StepSucceeded(ILogger logger, string secret, string token, string step, long elapsedMs);

    [LoggerMessage(5003, LogLevel.Warning, "Rotation of {Secret} (version {Token}): {Step} failed: {Status} {HttpStatus} {Detail}")]
    public static partial void StepFailed(ILogger logger, string secret, string token, string step, RotationStepStatus status, int? httpStatus, string? detail);

    [LoggerMessage(5011, LogLevel.Warning, "Rotation of {Secret} (version {Token}) stopped at {Step}; AWSPENDING stays and the rotation job retries the same version from {RetryAt:O}")]
    public static partial void Failed(ILogger logger, string secret, string token, string step, DateTimeOffset retryAt);

    [LoggerMessage(5004, LogLevel.Information, "Rotation of {Secret} finished: version {Token} is AWSCURRENT")]
    public static partial void Succeeded(ILogger logger, string secret, string token);

    [LoggerMessage(5005, LogLevel.Warning, "Rotation of {Secret} (version {Token}) refused: function {Function} could not be reached; the rotation settings were rolled back")]
    public static partial void FunctionUnreachable(ILogger logger, string secret, string token, string function);

    [LoggerMessage(5006, LogLevel.Warning, "Rotation of {Secret} (version {Token}) stopped: {Reason}")]
    public static partial void Stopped(ILogger logger, string secret, string token, string reason);

    [LoggerMessage(5007, LogLevel.Error, "Rotation of {Secret} (version {Token}) failed unexpectedly")]
    public static partial void Crashed(ILogger logger, Exception exception, string secret, string token);

    [LoggerMessage(5008, LogLevel.Information, "Rotation configuration test of {Secret} (testSecret on version {Token}): {Status} {HttpStatus}")]
    public static partial void ConfigurationTested(ILogger logger, string secret, string token, RotationStepStatus status, int? httpStatus);

    [LoggerMessage(5009, LogLevel.Information, "Rotation of {Secret} cancelled; version {Token} keeps its labels")]
    public static partial void Cancelled(ILogger logger, string secret, string? token);

    [LoggerMessage(5010, LogLevel.Debug, "Rotation job: {Secret} not started ({Reason})")]
    public static partial void Skipped(ILogger logger, string secret, string reason);
}
