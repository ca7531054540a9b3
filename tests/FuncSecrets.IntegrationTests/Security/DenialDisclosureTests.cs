using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Issue 11 items 1 and 2: what a caller without permission can learn. AWS authorizes before it
/// looks a secret up, so a denial names the SecretId exactly as given and reads the same whether
/// the secret exists or not; BatchGetSecretValue with Filters also needs ListSecrets.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DenialDisclosureTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string CarolArn = "arn:aws:iam::123456789012:user/carol";
    private ApiHarness _api = null!;
    private SigningClient _admin = null!;
    private SigningClient _carol = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "deny", new Dictionary<string, string?>
        {
            ["FuncSecrets:Auth:Enabled"] = "true",
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = "AKIDADMIN",
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = "admin-secret",
            ["FuncSecrets:Auth:AccessKeys:1:AccessKeyId"] = "AKIDCAROL",
            ["FuncSecrets:Auth:AccessKeys:1:SecretAccessKey"] = "carol-secret",
            ["FuncSecrets:Auth:AccessKeys:1:PrincipalArn"] = CarolArn,
            ["FuncSecrets:Auth:AccessKeys:1:Policy"] = """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"},
                  {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:app/*"}]}
                """,
        });
        _api.Time.SetUtcNow(DateTimeOffset.UtcNow);
        _admin = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
        _carol = new SigningClient(_api.Client, "AKIDCAROL", "carol-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Denied(string action, string resource) =>
        $"User: {CarolArn} is not authorized to perform: secretsmanager:{action} on resource: {resource} because no identity-based policy allows the secretsmanager:{action} action";

    private async Task<string> CreateAsync(string name) =>
        (string)(await _admin.OkAsync("CreateSecret", new { Name = name, SecretString = "v", ClientRequestToken = ApiHarness.Token() }))["ARN"]!;

    private async Task<(int Status, string? Code, string? Message)> DescribeAsCarolAsync(string secretId)
    {
        var response = await _carol.CallAsync("DescribeSecret", new { SecretId = secretId });
        return (response.Status, (string?)response.Json["__type"], (string?)response.Json["Message"]);
    }

    [Fact]
    public async Task DeniedCaller_ExistingAndMissingSecret_GetSameAnswerNamingSecretIdAsGiven_Issue11()
    {
        var arn = await CreateAsync("other/db");
        var partialArn = arn[..^7];
        var existing = new[] { await DescribeAsCarolAsync("other/db"), await DescribeAsCarolAsync(arn), await DescribeAsCarolAsync(partialArn) };

        await _admin.OkAsync("DeleteSecret", new { SecretId = "other/db", ForceDeleteWithoutRecovery = true });
        var missing = new[] { await DescribeAsCarolAsync("other/db"), await DescribeAsCarolAsync(arn), await DescribeAsCarolAsync(partialArn) };

        Assert.Equal(existing, missing);
        Assert.Equal((400, "AccessDeniedException", Denied("DescribeSecret", "other/db")), existing[0]);
        Assert.Equal((400, "AccessDeniedException", Denied("DescribeSecret", arn)), existing[1]);
        Assert.Equal((400, "AccessDeniedException", Denied("DescribeSecret", partialArn)), existing[2]);
    }

    [Fact]
    public async Task DeniedCaller_WriteOperation_NamesSecretIdAsGiven_Issue11()
    {
        await CreateAsync("other/put");
        var response = await _carol.CallAsync("PutSecretValue", new { SecretId = "other/put", SecretString = "x", ClientRequestToken = ApiHarness.Token() });
        Assert.Equal("AccessDeniedException", (string?)response.Json["__type"]);
        Assert.Equal(Denied("PutSecretValue", "other/put"), (string?)response.Json["Message"]);
    }

    [Fact]
    public async Task AllowedCaller_MissingSecret_LearnsNotFound_Issue11()
    {
        var response = await _carol.CallAsync("GetSecretValue", new { SecretId = "app/none" });
        Assert.True((string?)response.Json["__type"] == "ResourceNotFoundException", response.Text);
    }

    [Fact]
    public async Task BatchGetSecretValue_DeniedExistingAndMissing_ErrorsReadTheSame_Issue11()
    {
        await CreateAsync("other/batch");
        await CreateAsync("app/batch");
        var before = await _carol.OkAsync("BatchGetSecretValue", new { SecretIdList = new[] { "app/batch", "other/batch", "other/never" } });

        var errors = before["Errors"]!.AsArray().ToDictionary(e => (string)e!["SecretId"]!, e => ((string?)e!["ErrorCode"], (string?)e["Message"]));
        Assert.Equal(("AccessDeniedException", Denied("GetSecretValue", "other/batch")), errors["other/batch"]);
        Assert.Equal(("AccessDeniedException", Denied("GetSecretValue", "other/never")), errors["other/never"]);
        Assert.Single(before["SecretValues"]!.AsArray());
    }

    [Fact]
    public async Task BatchGetSecretValue_FiltersWithoutListSecrets_IsAccessDenied_Issue11()
    {
        await CreateAsync("app/filtered");
        await CreateAsync("other/filtered");

        var response = await _carol.CallAsync("BatchGetSecretValue", new { Filters = new[] { new { Key = "name", Values = new[] { "" } } } });

        Assert.Equal(400, response.Status);
        Assert.Equal("AccessDeniedException", (string?)response.Json["__type"]);
        Assert.Equal(
            $"User: {CarolArn} is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action",
            (string?)response.Json["Message"]);
        Assert.DoesNotContain("other/filtered", response.Text, StringComparison.Ordinal);
    }
}
