using System.Text;
using FuncSecrets.TestSupport.Tables;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>
/// The end of every fault scenario: no stored entity (raw JSON, and every binary property
/// decoded), no log line and no audit record holds a plaintext value the scenario sent or the
/// secret access key it signed with.
/// </summary>
public static class LeakCheck
{
    public static async Task AssertNoLeaksAsync(FaultScenario scenario, params string[] logs)
    {
        var needles = scenario.Values.Append(scenario.SecretAccessKey).ToList();
        Assert.True(scenario.Values.Count > 0, "The scenario registered no values: the scan would prove nothing.");
        var tables = new RawTables(scenario.ConnectionString);
        var scanned = 0;
        foreach (var table in scenario.Tables)
        {
            foreach (var entity in await tables.ScanAsync(table))
            {
                scanned++;
                foreach (var needle in needles)
                {
                    var bytes = Encoding.UTF8.GetBytes(needle);
                    Assert.False(
                        entity.Json.Contains(needle, StringComparison.Ordinal) || ContainsBase64Of(entity.Json, bytes) || entity.Binaries.Any(b => b.AsSpan().IndexOf(bytes) >= 0),
                        $"A plaintext value or the secret key is stored in {entity.Table} ({entity.PartitionKey}/{entity.RowKey}).");
                }
            }
        }

        Assert.True(scanned > 0, "No entity was scanned: the scan would prove nothing.");
        foreach (var log in logs)
        {
            Assert.True(log.Length > 0, "An empty log proves nothing.");
            foreach (var needle in needles)
            {
                Assert.False(log.Contains(needle, StringComparison.Ordinal), "A plaintext value or the secret key is in the log.");
            }
        }
    }

    /// <summary>The value base64-encoded at any of the three byte alignments it could start at.</summary>
    private static bool ContainsBase64Of(string text, byte[] value)
    {
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + value.Length];
            value.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded);
            // Drop the characters that depend on the bytes before and after the value.
            var core = encoded[((offset * 4 / 3) + 2)..Math.Max((offset * 4 / 3) + 2, encoded.Length - 4)];
            if (core.Length >= 16 && text.Contains(core, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
