using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Services;

/// <summary>What every operation handler works with, in one object so handlers stay small.</summary>
public sealed class OperationDependencies(
    ISecretStore store,
    IDueIndex dueIndex,
    ISecretCipher cipher,
    ServiceOptions options,
    TimeProvider time,
    IAuthorizer authorizer,
    ILoggerFactory loggerFactory)
{
    public ISecretStore Store { get; } = store;

    /// <summary>The due-time indexes the purge and rotation jobs read.</summary>
    public IDueIndex DueIndex { get; } = dueIndex;

    public ISecretCipher Cipher { get; } = cipher;

    public ServiceOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public IAuthorizer Authorizer { get; } = authorizer;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>The peer Regions replicas go to (issue 14); none unless configured.</summary>
    public Replication.ReplicationPeers Peers { get; init; } = Replication.ReplicationPeers.None;

    /// <summary>Where writers of one secret queue, and when storage last failed them; one per app.</summary>
    public WriterQueues WriterQueues { get; } = new();

    /// <summary>Now, truncated to milliseconds: the precision stored and sent on the wire.</summary>
    public DateTimeOffset Now()
    {
        var now = Time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>Today at midnight UTC: AWS reports access dates at day precision.</summary>
    public DateTimeOffset Today()
    {
        var now = Time.GetUtcNow();
        return new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
    }
}
