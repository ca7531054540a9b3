using FuncSecrets.Server;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>
/// The app in this process with the system clock (these scenarios are about real timeouts against
/// real processes), its log captured for the leak scan. Either on a TestServer or on real Kestrel
/// (a free 127.0.0.1 port), which the malformed-HTTP scenario needs to send raw bytes.
/// </summary>
public sealed class InProcessService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessService(WebApplication app, HttpClient client, Uri endpoint, CapturingLoggerProvider log)
    {
        _app = app;
        Client = client;
        Endpoint = endpoint;
        Log = log;
    }

    /// <summary>A client whose base address is the service.</summary>
    public HttpClient Client { get; }

    public Uri Endpoint { get; }

    public CapturingLoggerProvider Log { get; }

    public static async Task<InProcessService> StartAsync(FaultScenario scenario, bool kestrel = false, IReadOnlyDictionary<string, string>? extra = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = AzuriteFixture.FreePort();
            var log = new CapturingLoggerProvider();
            string[] args = kestrel ? [$"--FuncSecrets:Urls=http://127.0.0.1:{port}"] : [];
            var app = AppFactory.Create(args, builder =>
            {
                // Only the capture: the console would bury the test output under one line per call.
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(log);
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Configuration.AddInMemoryCollection(scenario.Configuration(extra));
                if (!kestrel)
                {
                    builder.WebHost.UseTestServer();
                }
            });
            try
            {
                await app.StartAsync();
            }
            catch (IOException) when (kestrel && attempt < 3)
            {
                // The free port was taken before Kestrel bound it: try another.
                await app.DisposeAsync();
                continue;
            }

            var endpoint = kestrel ? new Uri($"http://127.0.0.1:{port}/") : new Uri("http://localhost/");
            var client = kestrel ? FaultScenario.Http(endpoint) : app.GetTestClient();
            return new InProcessService(app, client, endpoint, log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
