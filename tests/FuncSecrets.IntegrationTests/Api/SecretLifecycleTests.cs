using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>Create, read, version and label operations over Azurite, checked on the wire.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretLifecycleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "life");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task CreateSecret_WithValue_ReturnsArnNameVersionOnly()
    {
        var token = ApiHarness.Token();
        var created = await _api.OkAsync("CreateSecret", new { Name = "app/db", SecretString = "s3cret", ClientRequestToken = token });

        Assert.Equal(["ARN", "Name", "VersionId"], created.Select(p => p.Key).Order());
        Assert.Matches("^arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-[A-Za-z0-9]{6}$", (string?)created["ARN"]);
        Assert.Equal(token, (string?)created["VersionId"]);
    }

    [Fact]
    public async Task CreateSecret_WithoutValue_HasNoVersionAndGetFindsNoCurrent()
    {
        var created = await _api.OkAsync("CreateSecret", new { Name = "empty" });

        Assert.Null(created["VersionId"]);
        await _api.ErrorAsync("GetSecretValue", new { SecretId = "empty" }, "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "empty" });
        Assert.Null(described["VersionIdsToStages"]);
    }

    [Fact]
    public async Task CreateSecret_RawRequestWithoutToken_ReturnsInvalidRequest() =>
        await _api.ErrorAsync("CreateSecret", new { Name = "no-token", SecretString = "x" }, "InvalidRequestException",
            "You must provide a ClientRequestToken value. We recommend a UUID-type value.");

    [Fact]
    public async Task CreateSecret_ExistingName_ReturnsResourceExists()
    {
        await _api.OkAsync("CreateSecret", new { Name = "dup", SecretString = "a", ClientRequestToken = ApiHarness.Token() });

        await _api.ErrorAsync("CreateSecret", new { Name = "dup", SecretString = "a", ClientRequestToken = ApiHarness.Token() },
            "ResourceExistsException", "The operation failed because the secret dup already exists.");
    }

    [Fact]
    public async Task CreateSecret_SameTokenAndValue_IsIdempotent()
    {
        var token = ApiHarness.Token();
        var first = await _api.OkAsync("CreateSecret", new { Name = "idem", SecretString = "a", ClientRequestToken = token });
        var again = await _api.OkAsync("CreateSecret", new { Name = "idem", SecretString = "a", ClientRequestToken = token });

        Assert.Equal((string?)first["ARN"], (string?)again["ARN"]);
        Assert.Equal(token, (string?)again["VersionId"]);
    }

    [Fact]
    public async Task CreateSecret_InvalidName_ReturnsValidationException() =>
        await _api.ErrorAsync("CreateSecret", new { Name = "Inv Name" }, "ValidationException",
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");

    [Fact]
    public async Task CreateSecret_BothValues_ReturnsInvalidParameter() =>
        await _api.ErrorAsync("CreateSecret", new { Name = "both", SecretString = "a", SecretBinary = "AAE=", ClientRequestToken = ApiHarness.Token() },
            "InvalidParameterException");

    [Fact]
    public async Task CreateSecret_ValueOver64KiB_ReturnsValidationAndStoresNothing()
    {
        await _api.ErrorAsync("CreateSecret", new { Name = "big", SecretString = new string('x', 65537), ClientRequestToken = ApiHarness.Token() }, "ValidationException");

        await _api.ErrorAsync("DescribeSecret", new { SecretId = "big" }, "ResourceNotFoundException");
    }

    [Fact]
    public async Task GetSecretValue_MaxSizeBinary_RoundTrips()
    {
        var value = new byte[65536];
        Random.Shared.NextBytes(value);
        await _api.OkAsync("CreateSecret", new { Name = "bin", SecretBinary = Convert.ToBase64String(value), ClientRequestToken = ApiHarness.Token() });

        var got = await _api.OkAsync("GetSecretValue", new { SecretId = "bin" });

        Assert.Equal(value, Convert.FromBase64String((string)got["SecretBinary"]!));
        Assert.Null(got["SecretString"]);
    }

    [Fact]
    public async Task GetSecretValue_ByNameArnAndPartialArn_ReturnsSameValue()
    {
        var created = await _api.OkAsync("CreateSecret", new { Name = "ids/x", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
        var arn = (string)created["ARN"]!;

        foreach (var id in new[] { "ids/x", arn, arn[..^7] })
        {
            var got = await _api.OkAsync("GetSecretValue", new { SecretId = id });
            Assert.Equal("v", (string?)got["SecretString"]);
            Assert.Equal(new JsonArray("AWSCURRENT").ToJsonString(), got["VersionStages"]!.ToJsonString());
            Assert.NotNull(got["CreatedDate"]);
        }

        await _api.ErrorAsync("GetSecretValue", new { SecretId = arn[..^6] + "zzzzzz" }, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    [Fact]
    public async Task PutSecretValue_NewVersion_MovesCurrentAndPrevious()
    {
        var v1 = ApiHarness.Token();
        var v2 = ApiHarness.Token();
        var v3 = ApiHarness.Token();
        await _api.OkAsync("CreateSecret", new { Name = "rot", SecretString = "one", ClientRequestToken = v1 });
        var put = await _api.OkAsync("PutSecretValue", new { SecretId = "rot", SecretString = "two", ClientRequestToken = v2 });
        Assert.Equal("[\"AWSCURRENT\"]", put["VersionStages"]!.ToJsonString());
        await _api.OkAsync("PutSecretValue", new { SecretId = "rot", SecretString = "three", ClientRequestToken = v3 });

        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "rot" });
        var stages = described["VersionIdsToStages"]!.AsObject();
        Assert.Equal(2, stages.Count);
        Assert.Equal("[\"AWSCURRENT\"]", stages[v3]!.ToJsonString());
        Assert.Equal("[\"AWSPREVIOUS\"]", stages[v2]!.ToJsonString());

        Assert.Equal("two", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "rot", VersionStage = "AWSPREVIOUS" }))["SecretString"]);
        Assert.Equal("one", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "rot", VersionId = v1 }))["SecretString"]);
        var deprecated = await _api.OkAsync("GetSecretValue", new { SecretId = "rot", VersionId = v1 });
        Assert.Null(deprecated["VersionStages"]?.AsArray().FirstOrDefault());
    }

    [Fact]
    public async Task PutSecretValue_CustomStages_LeaveCurrentAlone()
    {
        var v1 = ApiHarness.Token();
        var v2 = ApiHarness.Token();
        await _api.OkAsync("CreateSecret", new { Name = "custom", SecretString = "one", ClientRequestToken = v1 });

        var put = await _api.OkAsync("PutSecretValue", new { SecretId = "custom", SecretString = "two", ClientRequestToken = v2, VersionStages = new[] { "SAMPLESTAGE1", "SAMPLESTAGE0" } });

        Assert.Equal("[\"SAMPLESTAGE0\",\"SAMPLESTAGE1\"]", put["VersionStages"]!.ToJsonString());
        Assert.Equal("one", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "custom" }))["SecretString"]);
        await _api.ErrorAsync("GetSecretValue", new { SecretId = "custom", VersionId = v2, VersionStage = "AWSCURRENT" }, "InvalidRequestException",
            "You provided a VersionStage that is not associated to the provided VersionId.");
    }

    [Fact]
    public async Task PutSecretValue_SameTokenDifferentValue_ReturnsResourceExists()
    {
        var token = ApiHarness.Token();
        await _api.OkAsync("CreateSecret", new { Name = "tok", SecretString = "one", ClientRequestToken = token });

        var again = await _api.OkAsync("PutSecretValue", new { SecretId = "tok", SecretString = "one", ClientRequestToken = token });
        Assert.Equal(token, (string?)again["VersionId"]);
        await _api.ErrorAsync("PutSecretValue", new { SecretId = "tok", SecretString = "two", ClientRequestToken = token }, "ResourceExistsException");
    }

    [Fact]
    public async Task GetSecretValue_UnknownVersionAndStage_ReturnAwsMessages()
    {
        await _api.OkAsync("CreateSecret", new { Name = "nf", SecretString = "one", ClientRequestToken = ApiHarness.Token() });
        var missing = ApiHarness.Token();

        await _api.ErrorAsync("GetSecretValue", new { SecretId = "nf", VersionId = missing }, "ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret value for VersionId: {missing}");
        await _api.ErrorAsync("GetSecretValue", new { SecretId = "nf", VersionStage = "AWSPREVIOUS" }, "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    }

    [Fact]
    public async Task UpdateSecretVersionStage_MoveCurrent_NeedsRemoveFromVersionId()
    {
        var v1 = ApiHarness.Token();
        var v2 = ApiHarness.Token();
        await _api.OkAsync("CreateSecret", new { Name = "stage", SecretString = "one", ClientRequestToken = v1 });
        await _api.OkAsync("PutSecretValue", new { SecretId = "stage", SecretString = "two", ClientRequestToken = v2, VersionStages = new[] { "AWSPENDING" } });

        await _api.ErrorAsync("UpdateSecretVersionStage", new { SecretId = "stage", VersionStage = "AWSCURRENT", MoveToVersionId = v2 }, "InvalidParameterException",
            $"The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version {v1}, so you must explicitly reference that version in RemoveFromVersionId.");

        var moved = await _api.OkAsync("UpdateSecretVersionStage", new { SecretId = "stage", VersionStage = "AWSCURRENT", MoveToVersionId = v2, RemoveFromVersionId = v1 });
        Assert.Equal(["ARN", "Name"], moved.Select(p => p.Key).Order());

        var stages = (await _api.OkAsync("DescribeSecret", new { SecretId = "stage" }))["VersionIdsToStages"]!.AsObject();
        Assert.Equal("[\"AWSCURRENT\",\"AWSPENDING\"]", stages[v2]!.ToJsonString());
        Assert.Equal("[\"AWSPREVIOUS\"]", stages[v1]!.ToJsonString());
        Assert.Equal("two", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "stage" }))["SecretString"]);
    }

    [Fact]
    public async Task UpdateSecret_DescriptionOnly_ReturnsNoVersionId()
    {
        await _api.OkAsync("CreateSecret", new { Name = "upd", SecretString = "one", ClientRequestToken = ApiHarness.Token(), Description = "first" });

        var updated = await _api.OkAsync("UpdateSecret", new { SecretId = "upd", Description = "second" });
        Assert.Equal(["ARN", "Name"], updated.Select(p => p.Key).Order());

        var withValue = await _api.OkAsync("UpdateSecret", new { SecretId = "upd", SecretString = "two", ClientRequestToken = ApiHarness.Token() });
        Assert.NotNull(withValue["VersionId"]);
        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "upd" });
        Assert.Equal("second", (string?)described["Description"]);
        Assert.Equal("two", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "upd" }))["SecretString"]);

        await _api.OkAsync("UpdateSecret", new { SecretId = "upd", Description = "" });
        Assert.Null((await _api.OkAsync("DescribeSecret", new { SecretId = "upd" }))["Description"]);
    }

    [Fact]
    public async Task ListSecretVersionIds_DeprecatedHiddenUnlessAsked_AndPaged()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => ApiHarness.Token()).ToList();
        await _api.OkAsync("CreateSecret", new { Name = "versions", SecretString = "0", ClientRequestToken = ids[0] });
        for (var i = 1; i < ids.Count; i++)
        {
            _api.Time.Advance(TimeSpan.FromSeconds(1));
            await _api.OkAsync("PutSecretValue", new { SecretId = "versions", SecretString = i.ToString(), ClientRequestToken = ids[i] });
        }

        var labelled = await _api.OkAsync("ListSecretVersionIds", new { SecretId = "versions" });
        Assert.Equal([ids[2], ids[3]], labelled["Versions"]!.AsArray().Select(v => (string)v!["VersionId"]!));
        Assert.Equal("[\"DefaultEncryptionKey\"]", labelled["Versions"]![0]!["KmsKeyIds"]!.ToJsonString());

        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await _api.OkAsync("ListSecretVersionIds", new { SecretId = "versions", IncludeDeprecated = true, MaxResults = 1, NextToken = next });
            seen.AddRange(page["Versions"]!.AsArray().Select(v => (string)v!["VersionId"]!));
            next = (string?)page["NextToken"];
        }
        while (next is not null);

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task GetSecretValue_SetsLastAccessedDateAtDayPrecision()
    {
        await _api.OkAsync("CreateSecret", new { Name = "accessed", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
        Assert.Null((await _api.OkAsync("DescribeSecret", new { SecretId = "accessed" }))["LastAccessedDate"]);

        await _api.OkAsync("GetSecretValue", new { SecretId = "accessed" });

        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "accessed" });
        var midnight = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(midnight, (long)(decimal)described["LastAccessedDate"]!);
    }
}
