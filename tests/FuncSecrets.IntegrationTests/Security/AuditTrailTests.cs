using System.Text;
using FuncSecrets.Core.Audit;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>One audit record per call, readable back by time and secret, and never a secret value.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditTrailTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Canary = "audit-canary-7f3b9c1e";
    private ApiHarness _api = null!;
    private SigningClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "audit", new Dictionary<string, string?>
        {
            ["FuncSecrets:Auth:Enabled"] = "true",
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = "AKIDAUDIT",
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = "audit-secret-key",
            ["FuncSecrets:Auth:AccessKeys:0:PrincipalArn"] = "arn:aws:iam::123456789012:user/auditor",
        });
        _api.Time.SetUtcNow(DateTimeOffset.UtcNow);
        _client = new SigningClient(_api.Client, "AKIDAUDIT", "audit-secret-key") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Calls_AreRecordedWithOutcome_AndNoSecretValueAnywhere()
    {
        var start = _api.Time.GetUtcNow().AddSeconds(-1);
        var created = await _client.OkAsync("CreateSecret", new { Name = "audited/db", SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
        await _client.OkAsync("PutSecretValue", new { SecretId = "audited/db", SecretBinary = Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary + "-bin")), ClientRequestToken = ApiHarness.Token() });
        await _client.OkAsync("GetSecretValue", new { SecretId = "audited/db" });
        await _client.CallAsync("GetSecretValue", new { SecretId = "audited/missing" });
        await _api.CallAsync("GetSecretValue", new { SecretId = "audited/db" });
        await _client.OkAsync("GetRandomPassword", new { });

        var sink = _api.Services.GetRequiredService<BufferedAuditSink>();
        await sink.FlushAsync();
        var records = new List<AuditRecord>();
        await foreach (var record in sink.ReadAsync(start, _api.Time.GetUtcNow().AddSeconds(1), null, CancellationToken.None))
        {
            records.Add(record);
        }

        Assert.Equal(["CreateSecret", "PutSecretValue", "GetSecretValue", "GetSecretValue", "GetSecretValue", "GetRandomPassword"], records.Select(r => r.EventName));
        var create = records[0];
        Assert.Equal((string?)created["ARN"], create.Resource);
        Assert.Equal((string?)created["VersionId"], create.VersionId);
        Assert.Equal("arn:aws:iam::123456789012:user/auditor", create.PrincipalArn);
        Assert.Equal("AKIDAUDIT", create.AccessKeyId);
        Assert.Equal("Data", create.EventCategory);
        Assert.Contains(AuditRedactor.Hidden, create.RequestParameters);
        Assert.Equal("ResourceNotFoundException", records[3].ErrorCode);
        Assert.Equal("MissingAuthenticationTokenException", records[4].ErrorCode);
        Assert.Null(records[4].PrincipalArn);

        var aboutSecret = new List<AuditRecord>();
        await foreach (var record in sink.ReadAsync(start, _api.Time.GetUtcNow().AddSeconds(1), "audited/db", CancellationToken.None))
        {
            aboutSecret.Add(record);
        }

        // Create, Put and the signed Get; the unsigned call was refused before its body was read.
        Assert.Equal(3, aboutSecret.Count);

        var everything = string.Join('\n', records.Select(r => r.ToString())) + _api.Log.AllText;
        Assert.DoesNotContain(Canary, everything);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary + "-bin")), everything);
        Assert.DoesNotContain("audit-secret-key", everything);

        // The files are the per-call record; the log gets records only when storage refuses them (issue 15).
        Assert.DoesNotContain("audit GetSecretValue", _api.Log.AllText);
    }
}
