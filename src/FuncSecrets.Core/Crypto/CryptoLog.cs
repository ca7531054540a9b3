using FuncSecrets.Core.Logging;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Everything the encryption layer logs. Parameters are key ids and fixed reason words: never a
/// key, a nonce, a ciphertext or a value. The caller only ever sees one DecryptionFailure; the
/// reason here is for the operator.
/// </summary>
internal static partial class CryptoLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Opening a sealed value failed: {Reason} (wrapping key {KeyId}).")]
    public static partial void OpenFailed(ILogger logger, LogText reason, LogText keyId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Sealing a value failed: {Reason} (wrapping key {KeyId}).")]
    public static partial void SealFailed(ILogger logger, LogText reason, LogText keyId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Re-wrapping a data key failed: {Reason} (from {FromKeyId} to {ToKeyId}).")]
    public static partial void RewrapFailed(ILogger logger, LogText reason, LogText fromKeyId, LogText toKeyId);
}
