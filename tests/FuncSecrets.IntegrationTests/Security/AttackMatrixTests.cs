using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Every way in without the right signature or permission is refused with AWS's code, and a
/// refused call changes nothing in storage. Requests are signed by AWSSDK.Core's signer.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AttackMatrixTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AliceArn = "arn:aws:iam::123456789012:user/alice";
    private const string BobArn = "arn:aws:iam::123456789012:user/bob";
    private ApiHarness _api = null!;
    private SigningClient _admin = null!;
    private SigningClient _alice = null!;
    private SigningClient _bob = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "attack", new Dictionary<string, string?>
        {
            ["FuncSecrets:Auth:Enabled"] = "true",
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = "AKIDADMIN",
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = "admin-secret",
            ["FuncSecrets:Auth:AccessKeys:1:AccessKeyId"] = "AKIDALICE",
            ["FuncSecrets:Auth:AccessKeys:1:SecretAccessKey"] = "alice-secret",
            ["FuncSecrets:Auth:AccessKeys:1:PrincipalArn"] = AliceArn,
            ["FuncSecrets:Auth:AccessKeys:1:Policy"] = """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:alice/*"},
                  {"Effect":"Allow","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"},
                  {"Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}
                """,
            ["FuncSecrets:Auth:AccessKeys:2:AccessKeyId"] = "AKIDBOB",
            ["FuncSecrets:Auth:AccessKeys:2:SecretAccessKey"] = "bob-secret",
            ["FuncSecrets:Auth:AccessKeys:2:PrincipalArn"] = BobArn,
            ["FuncSecrets:Auth:AccessKeys:2:Policy"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}]}""",
        });
        _api.Time.SetUtcNow(DateTimeOffset.UtcNow);
        _admin = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
        _alice = new SigningClient(_api.Client, "AKIDALICE", "alice-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
        _bob = new SigningClient(_api.Client, "AKIDBOB", "bob-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime };
        await _admin.OkAsync("CreateSecret", new { Name = "alice/db", SecretString = "alice-value", ClientRequestToken = ApiHarness.Token() });
        await _admin.OkAsync("CreateSecret", new { Name = "other/db", SecretString = "other-value", ClientRequestToken = ApiHarness.Token() });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static object Put(string name) => new { SecretId = name, SecretString = "attacker", ClientRequestToken = ApiHarness.Token() };

    private async Task AssertUnchangedAsync(string name, string expected)
    {
        var got = await _admin.OkAsync("GetSecretValue", new { SecretId = name });
        Assert.Equal(expected, (string?)got["SecretString"]);
        Assert.Single(got["VersionStages"]!.AsArray());
        var versions = await _admin.OkAsync("ListSecretVersionIds", new { SecretId = name, IncludeDeprecated = true });
        Assert.Single(versions["Versions"]!.AsArray());
    }

    private static void AssertError(ApiResponse response, string code, string? messageStart = null)
    {
        Assert.True(response.Status is 400 or 403, $"status {response.Status}: {response.Text}");
        Assert.Equal(code, (string?)response.Json["__type"]);
        if (messageStart is not null)
        {
            Assert.StartsWith(messageStart, (string?)response.Json["Message"]);
        }
    }

    [Fact]
    public async Task NoSignature_IsRefused()
    {
        AssertError(await _api.CallAsync("PutSecretValue", Put("alice/db")), "MissingAuthenticationTokenException");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task WrongSecretKey_IsInvalidSignature()
    {
        var forger = new SigningClient(_api.Client, "AKIDADMIN", "guessed") { Clock = _admin.Clock };
        AssertError(await forger.CallAsync("PutSecretValue", Put("alice/db")), "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task UnknownKeyId_IsUnrecognizedClient()
    {
        var stranger = new SigningClient(_api.Client, "AKIDNOBODY", "x") { Clock = _admin.Clock };
        AssertError(await stranger.CallAsync("PutSecretValue", Put("alice/db")), "UnrecognizedClientException", "The security token included in the request is invalid.");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task TamperedBody_IsInvalidSignature()
    {
        var body = Put("alice/db");
        var tampered = System.Text.Json.JsonSerializer.Serialize(new { SecretId = "alice/db", SecretString = "evil", ClientRequestToken = ApiHarness.Token() });
        AssertError(await _admin.CallAsync("PutSecretValue", body, bodyAfterSigning: tampered), "InvalidSignatureException");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task TamperedSignedHeader_IsInvalidSignature()
    {
        var response = await _admin.CallAsync("DescribeSecret", new { SecretId = "alice/db" }, tamper: m =>
        {
            m.Headers.Remove("X-Amz-Target");
            m.Headers.Add("X-Amz-Target", "secretsmanager.DeleteSecret");
        });
        AssertError(response, "InvalidSignatureException");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task WrongRegion_IsRefused()
    {
        var client = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret", region: "eu-west-1") { Clock = _admin.Clock };
        AssertError(await client.CallAsync("PutSecretValue", Put("alice/db")), "InvalidSignatureException", "Credential should be scoped to a valid region");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task WrongService_IsRefused()
    {
        var client = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret", service: "kms") { Clock = _admin.Clock };
        AssertError(await client.CallAsync("PutSecretValue", Put("alice/db")), "InvalidSignatureException", "Credential should be scoped to correct service");
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Theory]
    [InlineData(-6, "Signature expired")]
    [InlineData(6, "Signature not yet current")]
    public async Task SkewedDate_IsRefused(int minutes, string message)
    {
        var client = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime.AddMinutes(minutes) };
        AssertError(await client.CallAsync("PutSecretValue", Put("alice/db")), "InvalidSignatureException", message);
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task SignatureWithinSkewWindow_IsAccepted()
    {
        var client = new SigningClient(_api.Client, "AKIDADMIN", "admin-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime.AddMinutes(-4) };
        Assert.Equal(200, (await client.CallAsync("DescribeSecret", new { SecretId = "alice/db" })).Status);
    }

    [Fact]
    public async Task PolicyForAnotherSecret_IsAccessDenied()
    {
        var allowed = await _alice.CallAsync("GetSecretValue", new { SecretId = "alice/db" });
        Assert.True(allowed.Status == 200, allowed.Text);

        var denied = await _alice.CallAsync("PutSecretValue", Put("other/db"));
        AssertError(denied, "AccessDeniedException", $"User: {AliceArn} is not authorized to perform: secretsmanager:PutSecretValue on resource: ");
        await AssertUnchangedAsync("other/db", "other-value");
    }

    [Fact]
    public async Task ExplicitDeny_OverridesAllow()
    {
        var denied = await _alice.CallAsync("DeleteSecret", new { SecretId = "alice/db", ForceDeleteWithoutRecovery = true });
        AssertError(denied, "AccessDeniedException");
        Assert.Contains("explicit deny", (string?)denied.Json["Message"]);
        await AssertUnchangedAsync("alice/db", "alice-value");
    }

    [Fact]
    public async Task ResourcePolicy_GrantsSecondPrincipal()
    {
        await _admin.OkAsync("CreateSecret", new { Name = "shared/db", SecretString = "shared-value", ClientRequestToken = ApiHarness.Token() });
        AssertError(await _bob.CallAsync("GetSecretValue", new { SecretId = "shared/db" }), "AccessDeniedException");

        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{BobArn}}"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        await _admin.OkAsync("PutResourcePolicy", new { SecretId = "shared/db", ResourcePolicy = policy });
        Assert.Equal(policy, (string?)(await _admin.OkAsync("GetResourcePolicy", new { SecretId = "shared/db" }))["ResourcePolicy"]);

        Assert.Equal("shared-value", (string?)(await _bob.OkAsync("GetSecretValue", new { SecretId = "shared/db" }))["SecretString"]);
        AssertError(await _bob.CallAsync("PutSecretValue", Put("shared/db")), "AccessDeniedException");

        await _admin.OkAsync("DeleteResourcePolicy", new { SecretId = "shared/db" });
        AssertError(await _bob.CallAsync("GetSecretValue", new { SecretId = "shared/db" }), "AccessDeniedException");
    }

    [Fact]
    public async Task PutResourcePolicy_PublicWithBlock_IsRefused()
    {
        const string Public = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        AssertError(await _admin.CallAsync("PutResourcePolicy", new { SecretId = "alice/db", ResourcePolicy = Public, BlockPublicPolicy = true }), "PublicPolicyException");
        AssertError(await _admin.CallAsync("PutResourcePolicy", new { SecretId = "alice/db", ResourcePolicy = "{not json" }), "MalformedPolicyDocumentException");

        var validation = await _admin.OkAsync("ValidateResourcePolicy", new { ResourcePolicy = Public });
        Assert.False((bool)validation["PolicyValidationPassed"]!);
        Assert.Null((await _admin.OkAsync("GetResourcePolicy", new { SecretId = "alice/db" }))["ResourcePolicy"]);
    }

    [Fact]
    public async Task BatchGetSecretValue_DeniedSecret_IsReportedInErrors()
    {
        var result = await _alice.OkAsync("BatchGetSecretValue", new { SecretIdList = new[] { "alice/db", "other/db" } });

        Assert.Equal("alice-value", (string?)Assert.Single(result["SecretValues"]!.AsArray())!["SecretString"]);
        var error = Assert.Single(result["Errors"]!.AsArray());
        Assert.Equal("AccessDeniedException", (string?)error!["ErrorCode"]);
        Assert.Equal("other/db", (string?)error["SecretId"]);
    }
}
