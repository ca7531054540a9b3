using FuncSecrets.EndToEndTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.EndToEndTests.Scenarios;

/// <summary>
/// 32 PutSecretValue calls on one secret at once, from boto3 threads with retries off
/// (tests/clients/concurrent_put.py): the labels stay consistent and nothing answers 5xx.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConcurrencyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PutSecretValue_32ParallelCalls_OneCurrentOnePreviousEveryVersionReadableNo5xx()
    {
        var result = await fixture.RunScenarioAsync(ClientScenarios.ConcurrentPut);
        output.WriteLine(result.ToString());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("PASS concurrency", result.Output, StringComparison.Ordinal);
    }
}
