using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>
/// Issue 11 items 9, 10, 11, 14 (and the differences item 15 found): behaviour recorded from real
/// AWS in moto's <c>@aws_verified</c> tests and LocalStack's AWS-validated snapshots, each test
/// naming its source.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordedAwsAnswersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "recorded");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string TokenInUse(string token, string arn) =>
        $"You can't use ClientRequestToken {token} because that value is already in use for a version of secret {arn}.";

    private async Task<(string Arn, string Token)> CreateAsync(string name)
    {
        var token = ApiHarness.Token();
        var created = await _api.OkAsync("CreateSecret", new { Name = name, SecretString = "Hello", ClientRequestToken = token });
        return ((string)created["ARN"]!, token);
    }

    private async Task<Dictionary<string, List<string>>> StagesAsync(string name) =>
        (await _api.OkAsync("DescribeSecret", new { SecretId = name }))["VersionIdsToStages"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal).ToList());

    // moto tests/test_secretsmanager/test_secretsmanager.py, @aws_verified test_create_different_secret_with_same_token.
    [Fact]
    public async Task CreateSecret_ExistingTokenOtherValue_ReturnsTokenInUse_Issue11()
    {
        var (arn, token) = await CreateAsync("token-create");
        await _api.ErrorAsync("CreateSecret", new { Name = "token-create", SecretString = "Hi", ClientRequestToken = token }, "ResourceExistsException", TokenInUse(token, arn));
        Assert.Equal(arn, (string?)(await _api.OkAsync("CreateSecret", new { Name = "token-create", SecretString = "Hello", ClientRequestToken = token }))["ARN"]);
    }

    // moto, @aws_verified test_put_different_secret_value_with_same_token.
    [Fact]
    public async Task PutSecretValue_ExistingTokenOtherValue_ReturnsTokenInUse_Issue11()
    {
        var (arn, token) = await CreateAsync("token-put");
        await _api.ErrorAsync("PutSecretValue", new { SecretId = arn, SecretString = "Hi", ClientRequestToken = token }, "ResourceExistsException", TokenInUse(token, arn));
    }

    // moto, @aws_verified test_update_different_secret_value_with_same_token.
    [Fact]
    public async Task UpdateSecret_ExistingTokenOtherValue_ReturnsTokenInUse_Issue11()
    {
        var (arn, token) = await CreateAsync("token-update");
        await _api.ErrorAsync("UpdateSecret", new { SecretId = arn, SecretString = "Hi", ClientRequestToken = token }, "ResourceExistsException", TokenInUse(token, arn));
    }

    // LocalStack tests/aws/services/secretsmanager, AWS-validated
    // test_update_secret_version_stages_current_pending (list_secret_version_ids_res_1 and _res_2).
    [Fact]
    public async Task PutSecretValue_MovesCurrentOffPendingVersion_LeavesOnlyPrevious_Issue11()
    {
        var (_, v0) = await CreateAsync("labels-pending");
        var v1 = (string)(await _api.OkAsync("PutSecretValue", new { SecretId = "labels-pending", SecretString = "S2", VersionStages = new[] { "AWSPENDING" }, ClientRequestToken = ApiHarness.Token() }))["VersionId"]!;
        await _api.OkAsync("UpdateSecretVersionStage", new { SecretId = "labels-pending", VersionStage = "AWSCURRENT", MoveToVersionId = v1, RemoveFromVersionId = v0 });
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], (await StagesAsync("labels-pending"))[v1]);

        var v2 = (string)(await _api.OkAsync("PutSecretValue", new { SecretId = "labels-pending", SecretString = "SS3", ClientRequestToken = ApiHarness.Token() }))["VersionId"]!;

        var stages = await StagesAsync("labels-pending");
        Assert.Equal(2, stages.Count);
        Assert.Equal(["AWSPREVIOUS"], stages[v1]);
        Assert.Equal(["AWSCURRENT"], stages[v2]);
    }

    // LocalStack, AWS-validated test_update_secret_version_stages_current_pending_cycle_custom_stages_1:
    // custom labels ride along; a version taking AWSCURRENT keeps AWSPENDING (only a new value
    // moving AWSCURRENT off it removes that); the version losing AWSPREVIOUS is deprecated.
    [Fact]
    public async Task UpdateSecretVersionStage_PendingCycleWithCustomStages_MatchesAwsSnapshot_Issue11()
    {
        const string Name = "labels-cycle";
        var (_, v0) = await CreateAsync(Name);
        var v1 = (string)(await _api.OkAsync("PutSecretValue", new { SecretId = Name, SecretString = "S2", VersionStages = new[] { "AWSSOMETHING", "AWSPENDING", "PUT1" }, ClientRequestToken = ApiHarness.Token() }))["VersionId"]!;
        await _api.OkAsync("UpdateSecretVersionStage", new { SecretId = Name, VersionStage = "AWSCURRENT", MoveToVersionId = v1, RemoveFromVersionId = v0 });
        var stages = await StagesAsync(Name);
        Assert.Equal(["AWSPREVIOUS"], stages[v0]);
        Assert.Equal(["AWSCURRENT", "AWSPENDING", "AWSSOMETHING", "PUT1"], stages[v1]);

        var v2 = (string)(await _api.OkAsync("PutSecretValue", new { SecretId = Name, SecretString = "S3", VersionStages = new[] { "AWSPENDING", "PUT2" }, ClientRequestToken = ApiHarness.Token() }))["VersionId"]!;
        stages = await StagesAsync(Name);
        Assert.Equal(["AWSCURRENT", "AWSSOMETHING", "PUT1"], stages[v1]);
        Assert.Equal(["AWSPENDING", "PUT2"], stages[v2]);

        await _api.OkAsync("UpdateSecretVersionStage", new { SecretId = Name, VersionStage = "AWSCURRENT", MoveToVersionId = v2, RemoveFromVersionId = v1 });
        var listed = (await _api.OkAsync("ListSecretVersionIds", new { SecretId = Name }))["Versions"]!.AsArray()
            .ToDictionary(v => (string)v!["VersionId"]!, v => v!["VersionStages"]!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(2, listed.Count);
        Assert.Equal(["AWSPREVIOUS", "AWSSOMETHING", "PUT1"], listed[v1]);
        Assert.Equal(["AWSCURRENT", "AWSPENDING", "PUT2"], listed[v2]);
    }

    // Current service model (aws/api-models-aws): SecretStringType and SecretBinaryType have min length 1.
    [Theory]
    [InlineData("CreateSecret")]
    [InlineData("PutSecretValue")]
    [InlineData("UpdateSecret")]
    public async Task Write_EmptySecretString_ReturnsValidationException_Issue11(string operation)
    {
        await CreateAsync("empty-" + operation);
        var body = new JsonObject { ["SecretString"] = "", ["ClientRequestToken"] = ApiHarness.Token() };
        body[operation == "CreateSecret" ? "Name" : "SecretId"] = operation == "CreateSecret" ? "empty-new-" + operation : "empty-" + operation;
        await _api.ErrorAsync(operation, body.ToJsonString(), "ValidationException",
            "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1");

        var binary = new JsonObject { ["SecretBinary"] = "", ["ClientRequestToken"] = ApiHarness.Token() };
        binary[operation == "CreateSecret" ? "Name" : "SecretId"] = operation == "CreateSecret" ? "empty-new-" + operation : "empty-" + operation;
        await _api.ErrorAsync(operation, binary.ToJsonString(), "ValidationException",
            "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    // AWS's output quoted in getmoto/moto#6461; moto test_delete_secret_recovery_window_invalid_values.
    [Fact]
    public async Task DeleteSecret_ZeroWindowWithForce_ReturnsRangeError_Issue11()
    {
        await CreateAsync("delete-zero");
        await _api.ErrorAsync("DeleteSecret", new { SecretId = "delete-zero", RecoveryWindowInDays = 0, ForceDeleteWithoutRecovery = true },
            "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        await _api.ErrorAsync("DeleteSecret", new { SecretId = "delete-zero", RecoveryWindowInDays = 7, ForceDeleteWithoutRecovery = true },
            "InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
}
