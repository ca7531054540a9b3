using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Another deployment of this service, serving another AWS Region name: its secret table (the
/// same layout as ours) and the key-encryption keys its values are sealed under, so a replica is
/// written exactly as that deployment would write it and opens there when this one is gone.
/// </summary>
/// <param name="Region">The AWS Region name the peer serves (its <c>FuncSecrets:Region</c>).</param>
/// <param name="Store">The peer's secret table.</param>
/// <param name="Cipher">Seals under the peer's keys (its default key and its aliases).</param>
/// <param name="Options">The peer's ARN parts: same account and partition, its own Region.</param>
public sealed record ReplicationPeer(string Region, ISecretStore Store, ISecretCipher Cipher, ServiceOptions Options);
