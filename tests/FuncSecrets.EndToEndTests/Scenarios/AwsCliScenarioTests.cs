using FuncSecrets.EndToEndTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.EndToEndTests.Scenarios;

/// <summary>The full lifecycle driven by the AWS CLI (tests/clients/cli_scenario.sh).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AwsCliScenarioTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task FullLifecycle_AwsCli_BehavesLikeAws()
    {
        var result = await fixture.RunScenarioAsync(ClientScenarios.AwsCli);
        output.WriteLine(result.ToString());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("PASS aws-cli scenario", result.Output, StringComparison.Ordinal);
    }
}
