using System.Text;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.TestSupport.Tables;

namespace FuncSecrets.EndToEndTests.NoLeak;

/// <summary>
/// After every client scenario, the concurrency run and the raw canary workload have sent secret
/// values carrying <see cref="EndToEndFixture.Canary"/>, the service's output and its raw table
/// entities hold the canary in no form: not as text, not base64, not as bytes. Each test first
/// makes sure all those runs have happened (each runs once, whichever test asks first), and
/// checks a positive control so an empty log or an empty table cannot pass for a clean one.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NoLeakTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task NoLeak_AfterScenarios_ServiceLogHasNoSecretValue()
    {
        var runs = await RunEverythingAsync();

        var log = fixture.ServiceLog;
        Assert.Contains("listening", log, StringComparison.OrdinalIgnoreCase);
        foreach (var needle in TextForms(fixture.Canary))
        {
            Assert.False(
                log.Contains(needle, StringComparison.OrdinalIgnoreCase),
                $"The service log contains a secret value (as '{needle}'). Runs:\n{runs}\nLog excerpt:\n{Excerpt(log, needle)}");
        }
    }

    [Fact]
    public async Task NoLeak_AfterScenarios_TableEntitiesHaveNoPlaintext()
    {
        var runs = await RunEverythingAsync();
        var scanner = new RawTables(fixture.StorageConnectionString);

        var entities = await scanner.ScanAllAsync();

        // Positive control: the service's own table is there, with version rows holding ciphertext.
        var ours = entities.Where(e => e.Table.StartsWith(fixture.TableName, StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count >= 10, $"Expected the service's rows in table {fixture.TableName}*; found {ours.Count} of {entities.Count} entities. Runs:\n{runs}");
        Assert.Contains(ours, e => e.Binaries.Any(b => b.Length >= 32));
        Assert.Contains(ours, e => e.Json.Contains("/list/k0", StringComparison.Ordinal));

        var textForms = TextForms(fixture.Canary);
        var byteForms = ByteForms(fixture.Canary);
        foreach (var entity in entities)
        {
            foreach (var needle in textForms)
            {
                Assert.False(entity.Json.Contains(needle, StringComparison.OrdinalIgnoreCase), $"Table {entity.Table} stores a secret value in plaintext (as '{needle}'): {entity.Json}");
            }

            foreach (var value in entity.Binaries)
            {
                foreach (var needle in byteForms)
                {
                    Assert.False(value.AsSpan().IndexOf(needle) >= 0, $"Table {entity.Table} stores a secret value's bytes in a binary property: {entity.Json}");
                }
            }
        }
    }

    private async Task<string> RunEverythingAsync()
    {
        var results = new List<ScriptResult>();
        foreach (var scenario in ClientScenarios.All)
        {
            results.Add(await fixture.RunScenarioAsync(scenario));
        }

        results.Add(await CanaryWorkload.RunOnceAsync(fixture));

        // The leak checks mean something only when values actually went in; whether each scenario
        // passed is its own test's business.
        var summary = string.Join('\n', results.Select(r => $"{r.Description}: {(r.TimedOut ? "timed out" : $"exit {r.ExitCode}")}"));
        Assert.True(results.All(r => !r.TimedOut), summary);
        return summary;
    }

    /// <summary>
    /// The canary's unique part (a value logged in part still shows it) and the base64 of the whole
    /// canary at each of the three byte alignments it can have inside a longer value.
    /// </summary>
    private static List<string> TextForms(string canary)
    {
        var unique = canary["leak-canary-".Length..];
        var forms = new List<string> { unique, Convert.ToBase64String(Encoding.UTF8.GetBytes(unique)) };
        var bytes = Encoding.UTF8.GetBytes(canary);
        for (var offset = 0; offset < 3; offset++)
        {
            var shifted = Convert.ToBase64String([.. new byte[offset], .. bytes]);

            // Drop the characters that depend on the bytes before and after the canary.
            forms.Add(shifted[4..^4]);
        }

        return forms;
    }

    private static List<byte[]> ByteForms(string canary)
    {
        var unique = canary["leak-canary-".Length..];
        return [Encoding.UTF8.GetBytes(unique), Encoding.Unicode.GetBytes(unique)];
    }

    private static string Excerpt(string text, string needle)
    {
        var at = text.IndexOf(needle, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? string.Empty : text.Substring(Math.Max(0, at - 300), Math.Min(text.Length - Math.Max(0, at - 300), 600));
    }
}
