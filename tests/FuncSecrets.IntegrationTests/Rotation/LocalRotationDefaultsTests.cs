using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>
/// Issue 11 item 12: with the development settings (local.settings.sample.json, which
/// scripts/run.sh mirrors) a rotation function on <c>http://127.0.0.1:&lt;port&gt;/</c> works
/// directly as RotationLambdaARN; without them (production defaults) it is refused.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalRotationDefaultsTests(AzuriteFixture azurite)
{
    private static Dictionary<string, string?> SampleRotationSettings()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.FindRepositoryRoot(), "local.settings.sample.json")))!["Values"]!.AsObject();
        return values.Where(p => p.Key.StartsWith("FuncSecrets__Rotation__", StringComparison.Ordinal))
            .ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value);
    }

    private async Task<ApiResponse> RotateAsync(IDictionary<string, string?> settings, string prefix)
    {
        await using var api = await ApiHarness.StartAsync(azurite, prefix, settings);
        await using var function = await TestRotationFunction.StartAsync(api);
        await api.OkAsync("CreateSecret", new { Name = "local-rotation", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
        var response = await api.CallAsync("RotateSecret", new { SecretId = "local-rotation", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = function.Url });
        await api.Services.GetRequiredService<Core.Rotation.RotationRunner>().WhenIdleAsync();
        return response;
    }

    [Fact]
    public async Task RotateSecret_SampleDevelopmentSettings_AcceptsLoopbackFunction_Issue11()
    {
        var response = await RotateAsync(SampleRotationSettings(), "localrot");
        Assert.True(response.Status == 200, response.Text);
    }

    [Fact]
    public async Task RotateSecret_ProductionDefaults_RefuseLoopbackFunction_Issue11()
    {
        var response = await RotateAsync(new Dictionary<string, string?>(), "prodrot");
        Assert.Equal("AccessDeniedException", (string?)response.Json["__type"]);
    }
}
