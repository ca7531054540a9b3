using FuncSecrets.Core.Logging;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Everything replication logs, in one place. Parameters are secret names, Region names and
/// outcomes: never a secret value (replication handles plaintext only between open and seal).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(5101, LogLevel.Warning, "Replication of {Secret} deferred to the replication job")]
    public static partial void ReplicationDeferred(ILogger logger, Exception exception, LogText secret);

    [LoggerMessage(5102, LogLevel.Information, "Replication of {Secret} to {Region}: {Result} {Message}")]
    public static partial void Synchronised(ILogger logger, LogText secret, LogText region, SyncResult result, LogText message);

    [LoggerMessage(5103, LogLevel.Warning, "Promotion of {Secret}: the primary Region {Region} was not told; its next synchronisation sees the promotion")]
    public static partial void PrimaryNotTold(ILogger logger, Exception exception, LogText secret, LogText region);
}
