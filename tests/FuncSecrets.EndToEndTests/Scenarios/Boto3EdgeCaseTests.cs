using FuncSecrets.EndToEndTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.EndToEndTests.Scenarios;

/// <summary>
/// AWS behaviours that are easy to get wrong (labels moving, idempotent retries, names and ARNs,
/// deleted secrets, limits), each tagged with its evidence, driven by boto3
/// (tests/clients/boto3_edge_cases.py).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class Boto3EdgeCaseTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task EdgeCases_Boto3_BehaveLikeAws()
    {
        var result = await fixture.RunScenarioAsync(ClientScenarios.Boto3EdgeCases);
        output.WriteLine(result.ToString());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("PASS boto3 edge cases", result.Output, StringComparison.Ordinal);
    }
}
