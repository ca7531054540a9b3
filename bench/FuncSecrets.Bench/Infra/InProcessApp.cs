using FuncSecrets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// The service in this process (real Kestrel on a free loopback port), for what only the inside
/// can count: data-key cache counters, storage round trips, and the jobs' RunOnceAsync.
/// </summary>
public static class InProcessApp
{
    public static async Task<(WebApplication App, Uri Endpoint)> StartAsync(BenchSettings settings, TimeProvider? time = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = Ports.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        var app = AppFactory.Create([$"--FuncSecrets:Urls=http://127.0.0.1:{port}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings.Configuration(extra));
            // The separate process logs to its console; here the log would only mix with the report.
            builder.Logging.ClearProviders();
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        return (app, endpoint);
    }
}

/// <summary>The system clock moved by an offset, so due dates arrive without waiting for them.</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
