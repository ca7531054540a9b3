using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Server;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>
/// The whole app in process (TestServer) over a real Azurite table of its own, spoken to in raw
/// JSON 1.1 so tests see the wire: status, __type, Message and absent members.
/// </summary>
public sealed class ApiHarness : IAsyncDisposable
{
    public const string LocalKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly WebApplication _app;

    private ApiHarness(WebApplication app, HttpClient client, FakeTimeProvider time, string tableName, CapturingLoggerProvider log)
    {
        Log = log;
        _app = app;
        Client = client;
        Time = time;
        TableName = tableName;
    }

    public HttpClient Client { get; }

    /// <summary>Everything the app logged, for leak checks.</summary>
    public CapturingLoggerProvider Log { get; }

    public FakeTimeProvider Time { get; }

    public string TableName { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiHarness> StartAsync(AzuriteFixture azurite, string prefix, IDictionary<string, string?>? settings = null)
    {
        var table = AzuriteFixture.UniqueTableName(prefix);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));
        var config = new Dictionary<string, string?>
        {
            ["FuncSecrets:Storage:ConnectionString"] = azurite.ConnectionString,
            ["FuncSecrets:Storage:TableName"] = table,
            ["FuncSecrets:Storage:DueTableName"] = table + "due",
            ["FuncSecrets:Audit:ContainerName"] = (table + "audit").ToLowerInvariant(),
            ["FuncSecrets:Encryption:LocalKey"] = LocalKey,
            ["FuncSecrets:Auth:Enabled"] = "false",
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var log = new CapturingLoggerProvider();
        var app = AppFactory.Create([], builder =>
        {
            builder.Logging.AddProvider(log);
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug);
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        });
        await app.StartAsync();
        return new ApiHarness(app, app.GetTestClient(), time, table, log);
    }

    /// <summary>Sends one JSON 1.1 call and returns the status and parsed body.</summary>
    public async Task<ApiResponse> CallAsync(string operation, object? body)
    {
        var json = body is null ? "{}" : body as string ?? JsonSerializer.Serialize(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "secretsmanager." + operation);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse((int)response.StatusCode, text, response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Calls and asserts success.</summary>
    public async Task<JsonObject> OkAsync(string operation, object? body)
    {
        var response = await CallAsync(operation, body);
        Assert.True(response.Status == 200, $"{operation} answered {response.Status}: {response.Text}");
        return response.Json;
    }

    /// <summary>Calls and asserts an AWS error with the given code (and message, if given).</summary>
    public async Task<ApiResponse> ErrorAsync(string operation, object? body, string code, string? message = null)
    {
        var response = await CallAsync(operation, body);
        Assert.True(response.Status == 400, $"{operation} answered {response.Status}: {response.Text}");
        Assert.Equal(code, (string?)response.Json["__type"]);
        if (message is not null)
        {
            Assert.Equal(message, (string?)response.Json["Message"]);
        }

        return response;
    }

    public static string Token() => Guid.NewGuid().ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ApiResponse(int Status, string Text, string? RequestId, string? ContentType)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Text.Length == 0 ? "{}" : Text)!;
}
