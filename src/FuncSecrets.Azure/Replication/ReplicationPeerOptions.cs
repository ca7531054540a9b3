using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Azure.Replication;

/// <summary>Multi-Region replication (issue 14), bound from <c>FuncSecrets:Replication</c>.</summary>
public sealed class ReplicationOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "FuncSecrets:Replication";

    /// <summary>The peer deployments replicas go to and promotions tell: <c>FuncSecrets:Replication:Peers:{n}</c>.</summary>
    public List<ReplicationPeerOptions> Peers { get; set; } = [];

    /// <summary>
    /// Seconds the ReplicateSecrets job leaves a change to the write path that made it before it
    /// retries the replicas itself.
    /// </summary>
    public int RetryDelaySeconds { get; set; } = 30;
}

/// <summary>
/// One peer deployment, bound from <c>FuncSecrets:Replication:Peers:{n}</c> (issue 14): the AWS
/// Region name it serves, how to reach its secret table, and its key-encryption keys. The
/// sections have the shape of the deployment's own <c>FuncSecrets:Storage</c> and
/// <c>FuncSecrets:Encryption</c>, so a peer is described with the settings that peer itself uses.
/// </summary>
public sealed class ReplicationPeerOptions
{
    /// <summary>The peer's <c>FuncSecrets:Region</c>, e.g. <c>eu-west-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// The peer's secret table: a connection string (Azurite, account key or SAS) or a table
    /// endpoint reached with this app's managed identity (which needs the Storage Table Data
    /// Contributor role on the peer's account). Its <c>TableName</c> must be the peer's own.
    /// </summary>
    public TableStoreOptions Storage { get; set; } = new();

    /// <summary>
    /// The peer's keys: its <c>DefaultKey</c> (a Key Vault key URI in Azure, which this app's
    /// identity must be allowed to wrap with), its aliases, or its local key in development.
    /// </summary>
    public EncryptionOptions Encryption { get; set; } = new();

    /// <summary>How the peer's Key Vault is called; the defaults when absent.</summary>
    public KeyVaultOptions KeyVault { get; set; } = new();
}
