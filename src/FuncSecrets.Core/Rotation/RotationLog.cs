using FuncSecrets.Core.Logging;
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
    public static partial void Started(ILogger logger, LogText secret, LogText token, LogText function, LogText trigger);

    [LoggerMessage(5002, LogLevel.Debug, "Rotation of {Secret} (version {Token}): {Step} succeeded in {ElapsedMs} ms")]
    public static partial void StepSucceeded(ILogger logger, LogText secret, LogText token, LogText step, long elapsedMs);

    [LoggerMessage(5003, LogLevel.Warning, "Rotation of {Secret} (version {Token}): {Step} failed: {Status} {HttpStatus} {Detail}")]
    public static partial void StepFailed(ILogger logger, LogText secret, LogText token, LogText step, RotationStepStatus status, int? httpStatus, LogText detail);

    [LoggerMessage(5011, LogLevel.Warning, "Rotation of {Secret} (version {Token}) stopped at {Step}; AWSPENDING stays and the rotation job retries the same version from {RetryAt:O}")]
    public static partial void Failed(ILogger logger, LogText secret, LogText token, LogText step, DateTimeOffset retryAt);

    [LoggerMessage(5004, LogLevel.Information, "Rotation of {Secret} finished: version {Token} is AWSCURRENT")]
    public static partial void Succeeded(ILogger logger, LogText secret, LogText token);

    [LoggerMessage(5005, LogLevel.Warning, "Rotation of {Secret} (version {Token}) refused: function {Function} could not be reached; the rotation settings were rolled back")]
    public static partial void FunctionUnreachable(ILogger logger, LogText secret, LogText token, LogText function);

    [LoggerMessage(5006, LogLevel.Warning, "Rotation of {Secret} (version {Token}) stopped: {Reason}")]
    public static partial void Stopped(ILogger logger, LogText secret, LogText token, LogText reason);

    [LoggerMessage(5007, LogLevel.Error, "Rotation of {Secret} (version {Token}) failed unexpectedly")]
    public static partial void Crashed(ILogger logger, Exception exception, LogText secret, LogText token);

    [LoggerMessage(5008, LogLevel.Information, "Rotation configuration test of {Secret} (testSecret on version {Token}): {Status} {HttpStatus}")]
    public static partial void ConfigurationTested(ILogger logger, LogText secret, LogText token, RotationStepStatus status, int? httpStatus);

    [LoggerMessage(5009, LogLevel.Information, "Rotation of {Secret} cancelled; version {Token} keeps its labels")]
    public static partial void Cancelled(ILogger logger, LogText secret, LogText token);

    [LoggerMessage(5010, LogLevel.Debug, "Rotation job: {Secret} not started ({Reason})")]
    public static partial void Skipped(ILogger logger, LogText secret, LogText reason);
}
