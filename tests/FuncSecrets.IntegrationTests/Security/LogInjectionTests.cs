using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Issue 11 item 6: a request-derived field holding a line break or another control character
/// cannot forge a log line (the console audit log above all): every such field is escaped.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogInjectionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Forged = "audit DeleteSecret Management request=forged principal=arn:aws:iam::123456789012:user/admin";
    private ApiHarness _api = null!;

    // The Blob service unreachable, so every audit record is spilled to the log (issue 15): the
    // log line that carries request-derived fields is then there to check.
    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "loginject", new Dictionary<string, string?>
    {
        ["FuncSecrets:Storage:ConnectionString"] = System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "BlobEndpoint=[^;]*;", string.Empty)
            + $"BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1;",
    });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private void AssertNoForgedLine()
    {
        Assert.DoesNotContain(_api.Log.Lines, line => line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal) || line.Contains('\u2028', StringComparison.Ordinal));
        Assert.DoesNotContain(_api.Log.Lines, line => line.StartsWith(Forged, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\u2028")]
    public async Task SecretIdWithLineBreak_IsEscapedInEveryLogLine_Issue11(string lineBreak)
    {
        await _api.CallAsync("GetSecretValue", new { SecretId = "x" + lineBreak + Forged });
        await _api.CallAsync("DescribeSecret", new { SecretId = "x" + lineBreak + Forged });
        await _api.Services.GetRequiredService<FuncSecrets.Core.Audit.BufferedAuditSink>().FlushAsync();

        AssertNoForgedLine();
        Assert.Contains(_api.Log.Lines, line => line.Contains("\\u000A" + Forged, StringComparison.Ordinal) || line.Contains("\\u2028" + Forged, StringComparison.Ordinal) || line.Contains("\\u000D\\u000A" + Forged, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenAndKmsKeyIdWithLineBreak_AreEscaped_Issue11()
    {
        var token = "0123456789abcdef0123456789abcdef\n" + "x";
        await _api.CallAsync("CreateSecret", new { Name = "inject-token", SecretString = "v", ClientRequestToken = token });
        await _api.CallAsync("CreateSecret", new { Name = "inject-kms", SecretString = "v", ClientRequestToken = ApiHarness.Token(), KmsKeyId = "alias/x\n" + Forged });
        await _api.CallAsync("PutSecretValue", new { SecretId = "inject-token", SecretString = "w", ClientRequestToken = token, VersionStages = new[] { "L\n" + Forged } });

        AssertNoForgedLine();
    }
}
