using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Host.Functions;
using FuncSecrets.Host.Hosting;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The app as the Functions host runs it: <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set, real Kestrel
/// on 127.0.0.1, a table of its own in Azurite, a fake clock. Tests replay what the host sends:
/// relayed HTTP requests (forwarded with the original Host, or proxied with X-Forwarded-Host)
/// and timer invocations.
/// </summary>
public sealed class FunctionsHostHarness : IAsyncDisposable
{
    /// <summary>The public address clients sign for; the handler itself listens on loopback.</summary>
    public static readonly Uri PublicEndpoint = new("https://funcsecrets-test.azurewebsites.net");

    public const string LocalKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly WebApplication _app;

    private FunctionsHostHarness(WebApplication app, int port, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>A client for the handler's loopback port, as the Functions host has.</summary>
    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="azurite">The run's Table service.</param>
    /// <param name="prefix">Prefix of this app's table names.</param>
    /// <param name="services">Registrations made before the app's own (AppFactory only fills what is missing).</param>
    public static async Task<FunctionsHostHarness> StartAsync(AzuriteFixture azurite, string prefix, Action<IServiceCollection>? services = null)
    {
        var port = AzuriteFixture.FreePort();
        var table = AzuriteFixture.UniqueTableName(prefix);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

        // Everything through the command line, which AppFactory reads before anything else: the
        // hosting mode and the port are decided from it before a configure callback runs.
        string[] args =
        [
            $"--{HostingMode.CustomHandlerPortVariable}={port}",
            $"--FuncSecrets:Storage:ConnectionString={azurite.ConnectionString}",
            $"--FuncSecrets:Storage:TableName={table}",
            $"--FuncSecrets:Storage:DueTableName={table}due",
            $"--FuncSecrets:Encryption:LocalKey={LocalKey}",
            $"--FuncSecrets:Auth:AccessKeys:0:AccessKeyId={HostSigner.DevKeyId}",
            $"--FuncSecrets:Auth:AccessKeys:0:SecretAccessKey={HostSigner.DevSecret}",
        ];
        var app = AppFactory.Create(args, builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new FunctionsHostHarness(app, port, time);
    }

    /// <summary>
    /// An SDK call as the legacy forwarding mode relays it (<c>enableForwardingHttpRequest</c>):
    /// the request rebuilt with every original header, Host included, plus the host's own.
    /// </summary>
    public Task<WireResponse> ForwardedCallAsync(string operation, object body) =>
        SendSignedAsync(operation, body, proxied: false);

    /// <summary>
    /// An SDK call as the proxying mode relays it (<c>enableProxyingHttpRequest</c>, YARP's
    /// default transforms): Host rewritten to the handler's address, the original in
    /// X-Forwarded-Host, plus X-Forwarded-For/-Proto.
    /// </summary>
    public Task<WireResponse> ProxiedCallAsync(string operation, object body, string? secret = null) =>
        SendSignedAsync(operation, body, proxied: true, secret);

    /// <summary>A timer invocation exactly as the Functions host sends it to a custom handler.</summary>
    public async Task<WireResponse> InvokeTimerAsync(string function, bool pastDue = false, Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(TimerPayload(function, Time.GetUtcNow(), pastDue), Encoding.UTF8, "application/json"),
        };
        AddHostHeaders(request);
        adjust?.Invoke(request);
        return await SendAsync(request);
    }

    /// <summary>
    /// The body the host posts for a timer trigger (azure-functions-host
    /// <c>ScriptInvocationContextExtensions.ToHttpScriptInvocationContext</c>): the TimerInfo
    /// under the binding name in Data, trigger metadata in Metadata.
    /// </summary>
    public static string TimerPayload(string function, DateTimeOffset now, bool pastDue)
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["timer"] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = now.AddHours(-1).ToString("O"),
                        ["Next"] = now.AddHours(1).ToString("O"),
                        ["LastUpdated"] = now.AddHours(-1).ToString("O"),
                    },
                    ["IsPastDue"] = pastDue,
                },
            },
            ["Metadata"] = new JsonObject
            {
                ["sys"] = new JsonObject
                {
                    ["MethodName"] = function,
                    ["UtcNow"] = now.ToString("O"),
                    ["RandGuid"] = Guid.NewGuid().ToString(),
                },
            },
        };
        return payload.ToJsonString();
    }

    private async Task<WireResponse> SendSignedAsync(string operation, object body, bool proxied, string? secret = null)
    {
        var json = JsonSerializer.Serialize(body);
        var (headers, bytes) = HostSigner.SignJson(PublicEndpoint, operation, json, Time.GetUtcNow(), secret: secret ?? HostSigner.DevSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                if (!proxied)
                {
                    request.Headers.Host = value;
                }
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (proxied)
        {
            request.Headers.Add("X-Forwarded-Host", PublicEndpoint.Host);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }

        AddHostHeaders(request);
        return await SendAsync(request);
    }

    // What DefaultHttpWorkerService adds to every call it makes to the handler.
    private static void AddHostHeaders(HttpRequestMessage request)
    {
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1043.200.25164");
        request.Headers.Add(TimerFunctionEndpoint.InvocationIdHeader, Guid.NewGuid().ToString());
    }

    private async Task<WireResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        return new WireResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record WireResponse(int Status, string Text, string? ContentType)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Text.Length == 0 ? "{}" : Text)!;
}
