using Azure.Core;
using Azure.Identity;
using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core;
using FuncSecrets.Core.Replication;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.Replication;

/// <summary>
/// Builds a <see cref="ReplicationPeer"/> from its settings: the peer's table through
/// <see cref="TableSecretStore"/> (the same client, budget and circuit breaker as our own table,
/// so an unreachable peer fails fast) and its keys through <see cref="SecretCipherFactory"/>.
/// No I/O here: a peer that is down when this app starts is only marked Failed when used.
/// </summary>
public static class ReplicationPeerFactory
{
    /// <exception cref="InvalidOperationException">The peer's settings are incomplete or name this Region.</exception>
    public static ReplicationPeer Create(ReplicationPeerOptions peer, ServiceOptions local, TokenCredential? credential, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (string.IsNullOrWhiteSpace(peer.Region))
        {
            throw new InvalidOperationException($"A replication peer ({ReplicationOptions.SectionName}:Peers) has no Region.");
        }

        if (peer.Region == local.Region)
        {
            throw new InvalidOperationException($"The replication peer {peer.Region} is this deployment's own Region.");
        }

        if (peer.Storage.ConnectionString is null && peer.Storage.TableEndpoint is null)
        {
            throw new InvalidOperationException($"The replication peer {peer.Region} has neither Storage:ConnectionString nor Storage:TableEndpoint.");
        }

        var tableCredential = peer.Storage.ConnectionString is null ? credential ?? new DefaultAzureCredential() : null;
        var store = TableSecretStore.Open(peer.Storage, tableCredential, loggerFactory.CreateLogger("FuncSecrets.Replication.Storage"));
        var cipher = SecretCipherFactory.Create(peer.Encryption, peer.KeyVault, credential, time, loggerFactory);
        var options = new ServiceOptions { Region = peer.Region, AccountId = local.AccountId, Partition = local.Partition };
        return new ReplicationPeer(peer.Region, store, cipher, options);
    }
}
