using FuncSecrets.Core.Jobs;
using FuncSecrets.Host.Standalone;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncSecrets.Host.Functions;

/// <summary>
/// The scheduled jobs and the two ways they run: the timer-invocation endpoint (Functions host)
/// and the in-process scheduler (standalone). Each decides at run time which mode it is in.
/// A new job (rotation) registers one more <see cref="IScheduledJob"/> named after its timer.
/// </summary>
public static class JobsSetup
{
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // TryAdd: AppFactory applies a caller's registrations first. A job registered earlier under
        // the same name wins, since the endpoint runs the first job of a name.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, PurgeDeletedSecretsJob>());
        services.TryAddSingleton<TimerFunctionEndpoint>();
        services.AddHostedService<StandaloneJobScheduler>();
    }
}
