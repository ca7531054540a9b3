using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>
/// A rotation function on 127.0.0.1:0 that does what AWS's single-user template Lambda does,
/// calling the API back (through the harness) for every step. <see cref="Hook"/> lets a test
/// make a step fail, hang or wait; <see cref="Calls"/> records every event received.
/// </summary>
public sealed class TestRotationFunction : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiHarness _api;

    private TestRotationFunction(WebApplication app, ApiHarness api, string url)
    {
        _app = app;
        _api = api;
        Url = url;
    }

    /// <summary>The function's URL, to give as RotationLambdaARN.</summary>
    public string Url { get; }

    /// <summary>Every event received, in order: (SecretId, ClientRequestToken, Step).</summary>
    public ConcurrentQueue<(string SecretId, string Token, string Step)> Calls { get; } = new();

    /// <summary>
    /// Called before a step runs: return a status code to answer with instead (e.g. 500), or null
    /// to run the step. May wait, to hold a step open.
    /// </summary>
    public Func<string, Task<int?>>? Hook { get; set; }

    public IEnumerable<string> Steps => Calls.Select(c => c.Step);

    public static async Task<TestRotationFunction> StartAsync(ApiHarness api)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestRotationFunction? function = null;
        app.MapPost("/rotate", (HttpContext context) => function!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        function = new TestRotationFunction(app, api, address + "/rotate");
        return function;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var secretId = (string)body!["SecretId"]!;
        var token = (string)body["ClientRequestToken"]!;
        var step = (string)body["Step"]!;
        Calls.Enqueue((secretId, token, step));
        if (Hook is { } hook && await hook(step) is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        context.Response.StatusCode = await RunStepAsync(secretId, token, step) ? 200 : 500;
    }

    /// <summary>The template's lambda_handler: checks the version, then runs the step.</summary>
    private async Task<bool> RunStepAsync(string arn, string token, string step)
    {
        var metadata = await _api.CallAsync("DescribeSecret", new { SecretId = arn });
        if (metadata.Status != 200 || metadata.Json["RotationEnabled"]?.GetValue<bool>() != true)
        {
            return false;
        }

        var versions = metadata.Json["VersionIdsToStages"]!.AsObject();
        if (!versions.TryGetPropertyValue(token, out var stagesNode))
        {
            return false;
        }

        var stages = stagesNode!.AsArray().Select(s => (string)s!).ToList();
        if (stages.Contains("AWSCURRENT"))
        {
            return true;
        }

        if (!stages.Contains("AWSPENDING"))
        {
            return false;
        }

        switch (step)
        {
            case "createSecret":
                if ((await _api.CallAsync("GetSecretValue", new { SecretId = arn, VersionStage = "AWSCURRENT" })).Status != 200)
                {
                    return false;
                }

                var pending = await _api.CallAsync("GetSecretValue", new { SecretId = arn, VersionId = token, VersionStage = "AWSPENDING" });
                if (pending.Status == 200)
                {
                    return true;
                }

                if ((string?)pending.Json["__type"] != "ResourceNotFoundException")
                {
                    return false;
                }

                var password = await _api.CallAsync("GetRandomPassword", new { ExcludeCharacters = "/@\"'\\" });
                var put = await _api.CallAsync("PutSecretValue", new
                {
                    SecretId = arn,
                    ClientRequestToken = token,
                    SecretString = (string)password.Json["RandomPassword"]!,
                    VersionStages = new[] { "AWSPENDING" },
                });
                return put.Status == 200;
            case "setSecret":
                return true;
            case "testSecret":
                return (await _api.CallAsync("GetSecretValue", new { SecretId = arn, VersionId = token, VersionStage = "AWSPENDING" })).Status == 200;
            case "finishSecret":
                var current = versions.First(p => p.Value!.AsArray().Any(s => (string?)s == "AWSCURRENT")).Key;
                var moved = await _api.CallAsync("UpdateSecretVersionStage", new { SecretId = arn, VersionStage = "AWSCURRENT", MoveToVersionId = token, RemoveFromVersionId = current });
                return moved.Status == 200;
            default:
                return false;
        }
    }
}
