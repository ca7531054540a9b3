using FuncSecrets.Core;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Services;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Builds the app: configuration, services and the request pipeline. <c>Program</c> calls it for
/// both hosting modes; tests call it with their own settings and overrides.
/// </summary>
public static class AppFactory
{
    /// <summary>The port the standalone mode listens on when nothing else is configured.</summary>
    public const int DefaultPort = 4584;

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var mode = HostingMode.Detect(builder.Configuration);
        builder.WebHost.UseUrls(mode.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = JsonFrontDoor.MaxBodyBytes + 1;

            // Query GETs (issue 6): let URLs past the Query door's 8 KiB limit reach it for an AWS-shaped 414.
            kestrel.Limits.MaxRequestLineSize = Protocol.Query.QueryFrontDoor.KestrelMaxRequestLineBytes;
        });

        // The caller's settings and services first: registrations below only fill what is missing.
        configure?.Invoke(builder);
        AddServices(builder);

        var app = builder.Build();

        // Configuration mistakes (keys, policies, wrapping keys) stop the app at start, not on a request.
        app.Services.GetRequiredService<IRequestAuthenticator>();
        app.Services.GetRequiredService<Core.Crypto.ISecretCipher>();
        app.Run(context => Dispatcher.DispatchAsync(context));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets");

            // Open the store (and create its tables) now, off the request path.
            _ = Task.Run(() => app.Services.GetRequiredService<Core.Storage.ISecretStore>());
            Log.Listening(logger, mode.Urls, mode.Name);
            foreach (var warning in app.Services.GetServices<StartupWarning>())
            {
                Log.StartupWarning(logger, warning.Text);
            }
        });
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var options = configuration.GetSection(ServiceOptions.SectionName).Get<ServiceOptions>() ?? new ServiceOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        StorageSetup.Add(services, configuration);
        EncryptionSetup.Add(services, configuration);
        AuthSetup.Add(services, configuration, builder.Environment);
        Audit.AuditSetup.Add(services, configuration);
        WebConsole.ConsoleSetup.Add(services, configuration); // web console and LookupEvents (issue 16)

        services.AddSingleton(sp => new OperationDependencies(
            sp.GetRequiredService<Core.Storage.ISecretStore>(),
            sp.GetRequiredService<Core.Crypto.ISecretCipher>(),
            sp.GetRequiredService<ServiceOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IAuthorizer>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<AccessRecorder>();
        foreach (var handler in OperationTable.HandlerTypes)
        {
            services.AddSingleton(handler);
        }

        services.AddSingleton<JsonFrontDoor>();
        services.AddSingleton<Protocol.Query.QueryFrontDoor>(); // Query protocol (issue 6)
        services.AddSingleton<Dispatcher>();

        // The scheduled jobs: timer functions under the Functions host, an in-process timer standalone.
        Functions.JobsSetup.Add(services);
        Rotation.RotationSetup.Add(services, configuration);
    }
}
