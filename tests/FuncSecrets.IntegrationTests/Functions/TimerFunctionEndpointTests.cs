using System.Text;
using System.Text.Json.Nodes;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Host.Functions;
using FuncSecrets.Host.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>The timer endpoint on its own: which requests it takes, and its answers without storage.</summary>
public sealed class TimerFunctionEndpointTests
{
    private static TimerFunctionEndpoint Create(bool functionsHost, params IScheduledJob[] jobs)
    {
        var services = new ServiceCollection();
        foreach (var job in jobs)
        {
            services.AddSingleton(job);
        }

        var settings = new Dictionary<string, string?>();
        if (functionsHost)
        {
            settings[HostingMode.CustomHandlerPortVariable] = "7071";
        }

        return new TimerFunctionEndpoint(services.BuildServiceProvider(), new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<TimerFunctionEndpoint>.Instance);
    }

    private static DefaultHttpContext Request(string method, string path, string body = "{}", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentLength = Encoding.UTF8.GetByteCount(body);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static JsonObject Answer(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!.AsObject();
    }

    [Theory]
    [InlineData("POST", "/PurgeDeletedSecrets", true)]
    [InlineData("POST", "/RotateSecrets", true)]
    [InlineData("GET", "/PurgeDeletedSecrets", false)]
    [InlineData("POST", "/purgedeletedsecrets", false)]
    [InlineData("POST", "/SecretsApi", false)]
    [InlineData("POST", "/", false)]
    [InlineData("POST", "/PurgeDeletedSecrets/x", false)]
    public void Accepts_FunctionsHost_OnlyPostToATimerName(string method, string path, bool expected) =>
        Assert.Equal(expected, Create(functionsHost: true).Accepts(Request(method, path)));

    [Fact]
    public void Accepts_Standalone_Never() =>
        Assert.False(Create(functionsHost: false).Accepts(Request("POST", "/PurgeDeletedSecrets")));

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-Forwarded-Host")]
    [InlineData("X-ARR-LOG-ID")]
    public void Accepts_RequestRelayedFromOutside_IsRefused(string header) =>
        Assert.False(Create(functionsHost: true).Accepts(Request("POST", "/PurgeDeletedSecrets", "{}", (header, "x"))));

    [Fact]
    public async Task HandleAsync_NoJobForTheTimer_SucceedsAndSaysSo()
    {
        var endpoint = Create(functionsHost: true);
        var context = Request("POST", "/" + FunctionNames.RotateSecrets, FunctionsHostHarness.TimerPayload(FunctionNames.RotateSecrets, DateTimeOffset.UnixEpoch, false));

        await endpoint.HandleAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        var answer = Answer(context);
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], answer.Select(p => p.Key).Order());
        Assert.Contains("not configured", (string?)answer["Logs"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_OversizedPayload_Returns413WithoutRunning()
    {
        var endpoint = Create(functionsHost: true);
        var context = Request("POST", "/" + FunctionNames.RotateSecrets, new string(' ', 70_000));

        await endpoint.HandleAsync(context);

        Assert.Equal(413, context.Response.StatusCode);
        Assert.Contains("larger than", (string?)Answer(context)["Logs"]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Data":{"timer":{"IsPastDue":true}},"Metadata":{}}""", true)]
    [InlineData("""{"Data":{"myTimer":{"Schedule":{},"IsPastDue":false}}}""", false)]
    [InlineData("""{"Data":{}}""", null)]
    [InlineData("""{"Data":"timer"}""", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void ReadPastDue_AnyPayload_ReadsOrIgnores(string payload, bool? expected) =>
        Assert.Equal(expected, TimerFunctionEndpoint.ReadPastDue(Encoding.UTF8.GetBytes(payload)));
}
