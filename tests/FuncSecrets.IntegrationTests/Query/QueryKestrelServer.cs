using System.Diagnostics;
using FuncSecrets.Server;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// The whole app on real Kestrel at 127.0.0.1:0 (Azurite behind it) with SigV4 switched on and
/// the key pair <c>test</c>/<c>test</c>, for clients that need a socket: botocore's Query
/// serializer and signers driven by <c>tests/clients/query/query_client.py</c>, and curl.
/// </summary>
public sealed class QueryKestrelServer : IAsyncDisposable
{
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";

    private readonly WebApplication _app;

    private QueryKestrelServer(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>e.g. <c>http://127.0.0.1:53123</c>.</summary>
    public string Endpoint { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<QueryKestrelServer> StartAsync(AzuriteFixture azurite, string prefix)
    {
        var table = AzuriteFixture.UniqueTableName(prefix);
        var config = new Dictionary<string, string?>
        {
            ["FuncSecrets:Storage:ConnectionString"] = azurite.ConnectionString,
            ["FuncSecrets:Storage:TableName"] = table,
            ["FuncSecrets:Storage:DueTableName"] = table + "due",
            ["FuncSecrets:Encryption:LocalKey"] = ApiHarness.LocalKey,
            ["FuncSecrets:Auth:Enabled"] = "true",
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = AccessKeyId,
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = SecretAccessKey,
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "0",
        };
        var app = AppFactory.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new QueryKestrelServer(app, address.TrimEnd('/'));
    }

    /// <summary>Runs a program to completion; output and error text are returned whole.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
