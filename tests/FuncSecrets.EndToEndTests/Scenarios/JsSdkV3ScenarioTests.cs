using FuncSecrets.EndToEndTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.EndToEndTests.Scenarios;

/// <summary>The full lifecycle driven by the AWS SDK for JavaScript v3 (tests/clients/js_scenario.mjs).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class JsSdkV3ScenarioTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task FullLifecycle_JsSdkV3_BehavesLikeAws()
    {
        var result = await fixture.RunScenarioAsync(ClientScenarios.JsSdkV3);
        output.WriteLine(result.ToString());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("PASS js-sdk-v3 scenario", result.Output, StringComparison.Ordinal);
    }
}
