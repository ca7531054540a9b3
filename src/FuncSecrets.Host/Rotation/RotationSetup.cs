using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.Host.Rotation;

/// <summary>
/// Rotation's services, from <c>FuncSecrets:Rotation</c>: the HTTP invoker of rotation functions,
/// the runner RotateSecret and the job share, and the <c>RotateSecrets</c> job (run by the
/// timer function of that name, or by the standalone scheduler).
/// </summary>
public static class RotationSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // Bound when first resolved, so settings a test adds after AppFactory.Create count.
        services.AddSingleton(_ => configuration.GetSection(RotationOptions.SectionName).Get<RotationOptions>() ?? new RotationOptions());
        services.AddSingleton(_ => configuration.GetSection(RotationOptions.SectionName).Get<RotationFunctionOptions>() ?? new RotationFunctionOptions());
        services.AddSingleton<IRotationFunctionInvoker>(sp => new HttpRotationFunctionInvoker(sp.GetRequiredService<RotationFunctionOptions>()));
        services.AddSingleton<RotationRunner>();
        services.AddSingleton<RotateSecretsJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<RotateSecretsJob>());
        services.AddHostedService<RotationShutdown>();
    }
}

/// <summary>At shutdown, stops the rotations RotateSecret left running in the background.</summary>
internal sealed class RotationShutdown(RotationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => runner.StopAsync(cancellationToken);
}
