using FuncSecrets.Core.Logging;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// Everything the Key Vault client logs: key ids, HTTP status, Key Vault's error code and
/// exception type names. Never a key, a wrapped key or a response body.
/// </summary>
internal static partial class KeyVaultLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Key Vault {Operation} with {KeyId} answered {Status} ({ErrorCode}).")]
    public static partial void Refused(ILogger logger, LogText operation, LogText keyId, int status, LogText errorCode);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Key Vault {Operation} with {KeyId} failed: {ExceptionType}.")]
    public static partial void Failed(ILogger logger, LogText operation, LogText keyId, string exceptionType);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Key Vault {Operation} with {KeyId} gave up after {TimeoutSeconds} s.")]
    public static partial void TimedOut(ILogger logger, LogText operation, LogText keyId, double timeoutSeconds);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Key Vault {Operation} with {KeyId} returned a malformed result.")]
    public static partial void Malformed(ILogger logger, LogText operation, LogText keyId);
}
