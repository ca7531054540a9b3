using System.Text.Json;
using FuncSecrets.EndToEndTests.Support;

namespace FuncSecrets.EndToEndTests.Console;

/// <summary>LookupEvents (issue 16) as boto3's unmodified CloudTrail client calls it: signing, paging, timestamps, errors.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LookupEventsClientTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task LookupEvents_Boto3CloudTrailClient_PagesTheSecretsEventsNewestFirst()
    {
        var name = EndToEndFixture.UniquePrefix("trail");
        var created = await fixture.Client.SendAsync("CreateSecret", JsonSerializer.Serialize(new { Name = name, SecretString = fixture.Canary + "-trail", ClientRequestToken = Guid.NewGuid().ToString() }));
        Assert.True(created.Status == 200, created.ToString());
        var read = await fixture.Client.SendAsync("GetSecretValue", JsonSerializer.Serialize(new { SecretId = name }));
        Assert.True(read.Status == 200, read.ToString());

        // The audit trail is written in batches (0.2 s in this fixture): give the last batch time to land.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var result = await ClientScript.RunAsync("python3", "cloudtrail_lookup.py", [fixture.Endpoint.GetLeftPart(UriPartial.Authority), name], TimeSpan.FromMinutes(2));

        Assert.True(result.Succeeded, result.ToString());
        var summary = JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(["GetSecretValue", "CreateSecret"], summary.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("datetime", summary.GetProperty("eventTimeType").GetString());
        Assert.Equal(created.Json.GetProperty("ARN").GetString(), summary.GetProperty("resource").GetString());
        Assert.Equal("GetSecretValue", summary.GetProperty("detailEventName").GetString());
        Assert.Equal("InvalidLookupAttributesException", summary.GetProperty("error").GetString());
        Assert.DoesNotContain(fixture.Canary, result.Output, StringComparison.Ordinal);
    }
}
