using System.Globalization;
using FuncSecrets.Host.Hosting;
using FuncSecrets.Host.Protocol;

namespace FuncSecrets.Server;

/// <summary>
/// Builds the standalone server: configuration, the shared services
/// (<see cref="FuncSecretsSetup.AddFuncSecrets"/>), Kestrel, the in-process job scheduler, and
/// every request handed to the pipeline. <c>Program</c> calls it; tests call it with their own
/// settings and overrides.
/// </summary>
public static class AppFactory
{
    /// <summary>The port the server listens on when nothing else is configured.</summary>
    public const int DefaultPort = 4584;

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var urls = Urls(builder.Configuration);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(FuncSecretsSetup.ConfigureLimits);

        // The caller's settings and services first: registrations below only fill what is missing.
        configure?.Invoke(builder);
        builder.Services.AddFuncSecrets(builder.Configuration, builder.Environment);
        builder.Services.AddHostedService<StandaloneJobScheduler>();

        var app = builder.Build();
        app.Services.StartFuncSecrets();
        app.Run(Dispatcher.DispatchAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
            Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets"), urls));
        return app;
    }

    /// <summary><c>FuncSecrets:Urls</c>, else ASP.NET Core's <c>urls</c>, else loopback on <see cref="DefaultPort"/>.</summary>
    public static string Urls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration["FuncSecrets:Urls"] ?? configuration["urls"]
            ?? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{DefaultPort}");
    }
}
