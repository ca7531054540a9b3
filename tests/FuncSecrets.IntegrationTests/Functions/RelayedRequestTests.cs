using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The SecretsApi HTTP trigger as the Functions host relays it to the custom handler, in both
/// relay modes, signed by AWSSDK.Core's signer for the app's public host name.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RelayedRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionsHostHarness _host = null!;

    public async Task InitializeAsync() => _host = await FunctionsHostHarness.StartAsync(azurite, "relay");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ReadinessPing_FunctionsMode_Answers200()
    {
        // The host polls GET / until any HTTP answer comes back before it sends invocations.
        using var response = await _host.Client.GetAsync("/");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SdkCall_ForwardedWithOriginalHost_Succeeds()
    {
        var created = await _host.ForwardedCallAsync("CreateSecret", new { Name = "forwarded", SecretString = "s3cr3t", ClientRequestToken = Guid.NewGuid().ToString() });
        Assert.True(created.Status == 200, created.Text);
        Assert.Equal("application/x-amz-json-1.1", created.ContentType);

        var read = await _host.ForwardedCallAsync("GetSecretValue", new { SecretId = "forwarded" });

        Assert.True(read.Status == 200, read.Text);
        Assert.Equal("s3cr3t", (string?)read.Json["SecretString"]);
    }

    [Fact]
    public async Task SdkCall_ProxiedWithForwardedHost_Succeeds()
    {
        var created = await _host.ProxiedCallAsync("CreateSecret", new { Name = "proxied", SecretString = "v4lue", ClientRequestToken = Guid.NewGuid().ToString() });
        Assert.True(created.Status == 200, created.Text);

        var read = await _host.ProxiedCallAsync("GetSecretValue", new { SecretId = "proxied" });

        Assert.True(read.Status == 200, read.Text);
        Assert.Equal("v4lue", (string?)read.Json["SecretString"]);
        Assert.Equal("proxied", (string?)read.Json["Name"]);
    }

    [Fact]
    public async Task SdkCall_ProxiedWithWrongSecret_ReturnsInvalidSignature()
    {
        var response = await _host.ProxiedCallAsync("ListSecrets", new { }, secret: "not-the-secret");

        Assert.Equal(400, response.Status);
        Assert.Equal("InvalidSignatureException", (string?)response.Json["__type"]);
    }
}
