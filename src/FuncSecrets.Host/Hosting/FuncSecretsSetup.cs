using FuncSecrets.Core;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Services;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// The one registration of the service both entry points share: the standalone server
/// (<c>FuncSecrets.Server</c>) and the isolated-worker Functions app (<c>FuncSecrets.Functions</c>)
/// each call <see cref="AddFuncSecrets"/>, hand every request to <see cref="Dispatcher.DispatchAsync"/>,
/// and run the registered <see cref="IScheduledJob"/>s on their own kind of timer.
/// </summary>
public static class FuncSecretsSetup
{
    /// <summary>
    /// Registers configuration, storage, encryption, auth, audit, the operations, both protocol
    /// front doors and the scheduled jobs. Registrations made before this call win: every
    /// singleton below only fills what is missing (tests swap the store, the clock, a job).
    /// </summary>
    public static IServiceCollection AddFuncSecrets(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var options = configuration.GetSection(ServiceOptions.SectionName).Get<ServiceOptions>() ?? new ServiceOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        StorageSetup.Add(services, configuration);
        EncryptionSetup.Add(services, configuration);
        AuthSetup.Add(services, configuration, environment);
        Audit.AuditSetup.Add(services, configuration);
        WebConsole.ConsoleSetup.Add(services, configuration); // web console and LookupEvents (issue 16)

        services.AddSingleton(sp => new OperationDependencies(
            sp.GetRequiredService<Core.Storage.ISecretStore>(),
            sp.GetRequiredService<Core.Storage.IDueIndex>(),
            sp.GetRequiredService<Core.Crypto.ISecretCipher>(),
            sp.GetRequiredService<ServiceOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IAuthorizer>(),
            sp.GetRequiredService<ILoggerFactory>())
        {
            Peers = sp.GetRequiredService<Core.Replication.ReplicationPeers>(),
        });
        ReplicationSetup.Add(services, configuration); // multi-Region replication (issue 14)
        services.AddSingleton<AccessRecorder>();
        foreach (var handler in OperationTable.HandlerTypes)
        {
            services.AddSingleton(handler);
        }

        services.AddSingleton<JsonFrontDoor>();
        services.AddSingleton<Protocol.Query.QueryFrontDoor>(); // Query protocol (issue 6)
        services.AddSingleton<Dispatcher>();

        // The scheduled jobs, each run by the timer function of its name (Functions) or by the
        // standalone server's in-process scheduler. TryAdd: a job a caller registered first under
        // the same type wins.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, PurgeDeletedSecretsJob>());
        Rotation.RotationSetup.Add(services, configuration);
        return services;
    }

    /// <summary>
    /// Limits of the server that receives the requests (the standalone Kestrel, or the worker's
    /// Kestrel behind the Functions host): bodies just past the JSON door's limit still reach it
    /// for an AWS-shaped answer, and so do Query URLs past the Query door's 8 KiB limit (issue 6).
    /// </summary>
    public static void ConfigureLimits(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = JsonFrontDoor.MaxBodyBytes + 1;
        kestrel.Limits.MaxRequestLineSize = Protocol.Query.QueryFrontDoor.KestrelMaxRequestLineBytes;
    }

    /// <summary>
    /// Call once the host is built, before it runs: configuration mistakes (keys, policies,
    /// wrapping keys) stop the app here rather than on a request. Once the app has started, the
    /// start-up warnings are logged and the first call's one-time work is done off the request
    /// path (<see cref="StartupWarmUp"/>: the store opened, its tables created, crypto loaded).
    /// </summary>
    public static void StartFuncSecrets(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetRequiredService<IRequestAuthenticator>();
        services.GetRequiredService<Core.Crypto.ISecretCipher>();
        services.GetRequiredService<Core.Replication.ReplicationPeers>();
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets");
            _ = Task.Run(() => StartupWarmUp.RunAsync(services));
            foreach (var warning in services.GetServices<StartupWarning>())
            {
                Log.StartupWarning(logger, warning.Text);
            }
        });
    }
}
