using FuncSecrets.Azure.Replication;
using FuncSecrets.Core;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Multi-Region replication from <c>FuncSecrets:Replication:Peers</c> (issue 14): the peer
/// Regions (their tables and keys) and the <c>ReplicateSecrets</c> job that retries replicas the
/// write path could not bring in step. Without peers every replica Region is refused as invalid
/// and the job finds nothing to do.
/// </summary>
public static class ReplicationSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ReplicationOptions.SectionName).Get<ReplicationOptions>() ?? new ReplicationOptions();
        if (options.RetryDelaySeconds < 0)
        {
            throw new InvalidOperationException($"{ReplicationOptions.SectionName}:RetryDelaySeconds must not be negative.");
        }

        services.TryAddSingleton(sp => new ReplicationPeers(options.Peers.Select(peer => ReplicationPeerFactory.Create(
            peer,
            sp.GetRequiredService<ServiceOptions>(),
            credential: null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>())))
        {
            RetryDelay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, ReplicateSecretsJob>(sp => new ReplicateSecretsJob(sp.GetRequiredService<OperationDependencies>())));
    }
}
