using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// Issue 11 item 5: one stored value must not break a protocol for everyone. The service model
/// gives ClientRequestToken, VersionStages, Description, tags and KmsKeyId no character pattern,
/// so JSON accepts any character in them, as AWS does; the Query protocol's XML 1.0 cannot carry
/// some (U+0000 and most C0 controls, lone surrogates), so its answers replace those with U+FFFD
/// in metadata rather than fail. Only a secret's own value is refused by Query, to its reader alone.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoredCharactersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string NulToken = new('\0', 40);
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "qchars");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<QueryResponse> Send(string form) => QueryWire.SendAsync(_api.Client, form);

    [Fact]
    public async Task NulToken_DoesNotBreakQueryReads_Issue11()
    {
        await _api.OkAsync("CreateSecret", new { Name = "chars-ok", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
        await _api.OkAsync("CreateSecret", new
        {
            Name = "chars-nul",
            SecretString = "v",
            ClientRequestToken = NulToken,
            Description = "d\u0001e",
            Tags = new[] { new { Key = "k\u0002", Value = "v\uD800" } },
        });
        await _api.OkAsync("PutSecretValue", new { SecretId = "chars-nul", SecretString = "w", ClientRequestToken = ApiHarness.Token(), VersionStages = new[] { "L\u0003" } });

        var list = await Send("Action=ListSecrets&Version=2017-10-17");
        var describe = await Send("Action=DescribeSecret&Version=2017-10-17&SecretId=chars-nul");
        var versions = await Send("Action=ListSecretVersionIds&Version=2017-10-17&SecretId=chars-nul");

        Assert.True(list.Status == 200, list.Text);
        Assert.True(describe.Status == 200, describe.Text);
        Assert.True(versions.Status == 200, versions.Text);
        Assert.Equal(2, list.Result("ListSecrets")["SecretList"]!.AsArray().Count);
        Assert.Equal("d\uFFFDe", (string?)describe.Result("DescribeSecret")["Description"]);
        Assert.Contains(new string('\uFFFD', 40), versions.Text, StringComparison.Ordinal);

        // JSON carries every character, so nothing is lost for a JSON client.
        var json = await _api.OkAsync("DescribeSecret", new { SecretId = "chars-nul" });
        Assert.Equal("d\u0001e", (string?)json["Description"]);
        Assert.True(json["VersionIdsToStages"]!.AsObject().ContainsKey(NulToken));
    }
}
