using FuncSecrets.EndToEndTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.EndToEndTests.Scenarios;

/// <summary>The full lifecycle driven by boto3 (tests/clients/boto3_scenario.py).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class Boto3ScenarioTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task FullLifecycle_Boto3_BehavesLikeAws()
    {
        var result = await fixture.RunScenarioAsync(ClientScenarios.Boto3);
        output.WriteLine(result.ToString());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("PASS boto3 scenario", result.Output, StringComparison.Ordinal);
    }
}
