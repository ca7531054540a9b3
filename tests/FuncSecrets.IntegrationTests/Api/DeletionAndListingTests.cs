using FuncSecrets.Core.Jobs;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>Deletion, restore, purge, tags, listing, batch reads and passwords over Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeletionAndListingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Deleted = "You can't perform this operation on the secret because it was marked for deletion.";
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "dele");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<System.Text.Json.Nodes.JsonObject> Create(string name, string value = "v", object? extra = null) =>
        _api.OkAsync("CreateSecret", extra ?? new { Name = name, SecretString = value, ClientRequestToken = ApiHarness.Token() });

    [Fact]
    public async Task DeleteSecret_ScheduledSecret_RefusesChangesAndShowsDeletedDate()
    {
        await Create("gone");

        var deleted = await _api.OkAsync("DeleteSecret", new { SecretId = "gone", RecoveryWindowInDays = 7 });
        Assert.Equal(["ARN", "DeletionDate", "Name"], deleted.Select(p => p.Key).Order());
        var expected = _api.Time.GetUtcNow().AddDays(7).ToUnixTimeMilliseconds() / 1000m;
        Assert.Equal(expected, (decimal)deleted["DeletionDate"]!);

        await _api.ErrorAsync("GetSecretValue", new { SecretId = "gone" }, "InvalidRequestException", Deleted);
        await _api.ErrorAsync("PutSecretValue", new { SecretId = "gone", SecretString = "x", ClientRequestToken = ApiHarness.Token() }, "InvalidRequestException", Deleted);
        await _api.ErrorAsync("TagResource", new { SecretId = "gone", Tags = new[] { new { Key = "k", Value = "v" } } }, "InvalidRequestException", Deleted);
        await _api.ErrorAsync("DeleteSecret", new { SecretId = "gone" }, "InvalidRequestException");
        await _api.ErrorAsync("CreateSecret", new { Name = "gone" }, "InvalidRequestException",
            "You can't create this secret because a secret with this name is already scheduled for deletion.");
        Assert.NotNull((await _api.OkAsync("DescribeSecret", new { SecretId = "gone" }))["DeletedDate"]);

        var restored = await _api.OkAsync("RestoreSecret", new { SecretId = "gone" });
        Assert.Equal(["ARN", "Name"], restored.Select(p => p.Key).Order());
        Assert.Equal("v", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "gone" }))["SecretString"]);
        Assert.Null((await _api.OkAsync("DescribeSecret", new { SecretId = "gone" }))["DeletedDate"]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task DeleteSecret_WindowOutOfRange_ReturnsInvalidParameter(int days)
    {
        await Create("window" + days);

        await _api.ErrorAsync("DeleteSecret", new { SecretId = "window" + days, RecoveryWindowInDays = days }, "InvalidParameterException",
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }

    [Fact]
    public async Task DeleteSecret_ForceWithWindow_ReturnsInvalidParameter() =>
        await _api.ErrorAsync("DeleteSecret", new { SecretId = "any", RecoveryWindowInDays = 7, ForceDeleteWithoutRecovery = true }, "InvalidParameterException",
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

    [Fact]
    public async Task DeleteSecret_Force_FreesTheNameAtOnce()
    {
        await Create("forced", "old");
        await _api.OkAsync("DeleteSecret", new { SecretId = "forced" });

        await _api.OkAsync("DeleteSecret", new { SecretId = "forced", ForceDeleteWithoutRecovery = true });

        await _api.ErrorAsync("DescribeSecret", new { SecretId = "forced" }, "ResourceNotFoundException");
        await Create("forced", "new");
        Assert.Equal("new", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "forced" }))["SecretString"]);
    }

    [Fact]
    public async Task DeleteSecret_ForceOnMissingName_Succeeds()
    {
        var deleted = await _api.OkAsync("DeleteSecret", new { SecretId = "never-existed", ForceDeleteWithoutRecovery = true });

        Assert.Equal("never-existed", (string?)deleted["Name"]);
        Assert.NotNull(deleted["ARN"]);
    }

    [Fact]
    public async Task PurgeJob_AfterWindow_RemovesSecretAndLeavesOthers()
    {
        await Create("purge-me");
        await Create("purge-later");
        await _api.OkAsync("DeleteSecret", new { SecretId = "purge-me", RecoveryWindowInDays = 7 });
        await _api.OkAsync("DeleteSecret", new { SecretId = "purge-later", RecoveryWindowInDays = 30 });
        var job = ActivatorUtilities.CreateInstance<PurgeDeletedSecretsJob>(_api.Services);

        _api.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var result = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Processed);
        await _api.ErrorAsync("DescribeSecret", new { SecretId = "purge-me" }, "ResourceNotFoundException");
        Assert.NotNull((await _api.OkAsync("DescribeSecret", new { SecretId = "purge-later" }))["DeletedDate"]);
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Processed);
    }

    [Fact]
    public async Task PurgeJob_RestoredSecret_IsKept()
    {
        await Create("restored");
        await _api.OkAsync("DeleteSecret", new { SecretId = "restored", RecoveryWindowInDays = 7 });
        await _api.OkAsync("RestoreSecret", new { SecretId = "restored" });
        var job = ActivatorUtilities.CreateInstance<PurgeDeletedSecretsJob>(_api.Services);

        _api.Time.Advance(TimeSpan.FromDays(8));
        await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal("v", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "restored" }))["SecretString"]);
    }

    [Fact]
    public async Task Tags_AbsentUntilTaggedThenEmptyAfterLastRemoved()
    {
        await Create("tagged");
        Assert.Null((await _api.OkAsync("DescribeSecret", new { SecretId = "tagged" }))["Tags"]);

        var tagged = await _api.OkAsync("TagResource", new { SecretId = "tagged", Tags = new[] { new { Key = "env", Value = "prod" }, new { Key = "team", Value = "a" } } });
        Assert.Empty(tagged);
        await _api.OkAsync("TagResource", new { SecretId = "tagged", Tags = new[] { new { Key = "env", Value = "dev" } } });
        Assert.Equal("[{\"Key\":\"env\",\"Value\":\"dev\"},{\"Key\":\"team\",\"Value\":\"a\"}]", (await _api.OkAsync("DescribeSecret", new { SecretId = "tagged" }))["Tags"]!.ToJsonString());

        await _api.OkAsync("UntagResource", new { SecretId = "tagged", TagKeys = new[] { "env", "team" } });
        Assert.Equal("[]", (await _api.OkAsync("DescribeSecret", new { SecretId = "tagged" }))["Tags"]!.ToJsonString());
        await _api.ErrorAsync("TagResource", new { SecretId = "tagged", Tags = new[] { new { Key = "aws:x", Value = "v" } } }, "InvalidParameterException");
    }

    [Fact]
    public async Task ListSecrets_PagingAndFilters_NeverSkipOrRepeat()
    {
        var names = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var name = $"list/item-{i}";
            names.Add(name);
            await _api.OkAsync("CreateSecret", new { Name = name, SecretString = "v", ClientRequestToken = ApiHarness.Token(), Description = i % 2 == 0 ? "even number" : "odd number", Tags = new[] { new { Key = "idx", Value = i.ToString() } } });
            _api.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await _api.OkAsync("DeleteSecret", new { SecretId = "list/item-6" });

        foreach (var max in new[] { 1, 2, 3 })
        {
            var seen = new List<string>();
            string? next = null;
            do
            {
                var page = await _api.OkAsync("ListSecrets", new { MaxResults = max, NextToken = next, Filters = new[] { new { Key = "name", Values = new[] { "list/" } } } });
                seen.AddRange(page["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!));
                next = (string?)page["NextToken"];
            }
            while (next is not null);

            Assert.Equal(names.Take(6), seen);
        }

        var withDeleted = await _api.OkAsync("ListSecrets", new { IncludePlannedDeletion = true, Filters = new[] { new { Key = "name", Values = new[] { "list/" } } } });
        Assert.Equal(7, withDeleted["SecretList"]!.AsArray().Count);

        var even = await _api.OkAsync("ListSecrets", new { Filters = new[] { new { Key = "description", Values = new[] { "EVEN" } } } });
        Assert.Equal(["list/item-0", "list/item-2", "list/item-4"], even["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!));

        var notEven = await _api.OkAsync("ListSecrets", new { Filters = new[] { new { Key = "name", Values = new[] { "list/" } }, new { Key = "description", Values = new[] { "!even" } } } });
        Assert.Equal(["list/item-1", "list/item-3", "list/item-5"], notEven["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!));

        var desc = await _api.OkAsync("ListSecrets", new { SortOrder = "desc", MaxResults = 1, Filters = new[] { new { Key = "tag-value", Values = new[] { "5" } } } });
        Assert.Equal("list/item-5", (string?)desc["SecretList"]![0]!["Name"]);
        Assert.NotNull(desc["SecretList"]![0]!["SecretVersionsToStages"]);

        await _api.ErrorAsync("ListSecrets", new { MaxResults = 101 }, "ValidationException");
        await _api.ErrorAsync("ListSecrets", new { NextToken = "garbage!" }, "InvalidNextTokenException");
    }

    [Fact]
    public async Task ListSecrets_EverySortByPagedOnTheTableIndex_MatchesOneFullPage()
    {
        foreach (var name in new[] { "ord/b", "ord/a/x", "ord/a", "ord/c.1", "ord/C" })
        {
            await Create(name, "v");
            _api.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await _api.OkAsync("GetSecretValue", new { SecretId = "ord/c.1" });
        await _api.OkAsync("PutSecretValue", new { SecretId = "ord/a", SecretString = "w", ClientRequestToken = ApiHarness.Token() });
        var filters = new[] { new { Key = "name", Values = new[] { "ord/" } } };
        foreach (var sortBy in new[] { "name", "created-date", "last-changed-date", "last-accessed-date" })
        {
            foreach (var sortOrder in new[] { "asc", "desc" })
            {
                var full = await _api.OkAsync("ListSecrets", new { SortBy = sortBy, SortOrder = sortOrder, Filters = filters });
                var expected = full["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!).ToList();
                var seen = new List<string>();
                string? next = null;
                do
                {
                    var page = await _api.OkAsync("ListSecrets", new { SortBy = sortBy, SortOrder = sortOrder, MaxResults = 2, NextToken = next });
                    seen.AddRange(page["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!).Where(n => n.StartsWith("ord/", StringComparison.Ordinal)));
                    next = (string?)page["NextToken"];
                }
                while (next is not null);

                Assert.Equal(5, expected.Count);
                Assert.Equal(expected, seen);
            }
        }

        var byName = await _api.OkAsync("ListSecrets", new { SortBy = "name", Filters = filters });
        Assert.Equal(["ord/C", "ord/a", "ord/a/x", "ord/b", "ord/c.1"], byName["SecretList"]!.AsArray().Select(s => (string)s!["Name"]!));
    }

    [Theory]
    [InlineData("list:created-date:asc\n9999999999999999999\nname")]
    [InlineData("list:created-date:asc\n0000000000000000001\na'b")]
    [InlineData("list:name:asc\nz\n$(z)")]
    public async Task ListSecrets_ForgedNextTokenOnTheTableIndex_ReturnsInvalidNextToken(string text)
    {
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var sortBy = text.StartsWith("list:name", StringComparison.Ordinal) ? "name" : "created-date";

        await _api.ErrorAsync("ListSecrets", new { NextToken = token, SortBy = sortBy }, "InvalidNextTokenException", "The NextToken value is invalid.");
        await _api.ErrorAsync("BatchGetSecretValue", new { NextToken = token, Filters = new[] { new { Key = "name", Values = new[] { "x" } } } }, "InvalidNextTokenException", "The NextToken value is invalid.");
    }

    [Fact]
    public async Task BatchGetSecretValue_ById_ReportsMissingInErrors()
    {
        await Create("batch/a", "A");
        await Create("batch/b", "B");

        var result = await _api.OkAsync("BatchGetSecretValue", new { SecretIdList = new[] { "batch/a", "batch/b", "batch/missing" } });

        Assert.Equal(["A", "B"], result["SecretValues"]!.AsArray().Select(v => (string)v!["SecretString"]!).Order());
        var error = Assert.Single(result["Errors"]!.AsArray());
        Assert.Equal("batch/missing", (string?)error!["SecretId"]);
        Assert.Equal("ResourceNotFoundException", (string?)error["ErrorCode"]);

        await _api.ErrorAsync("BatchGetSecretValue", new { }, "InvalidParameterException");
    }

    [Fact]
    public async Task BatchGetSecretValue_ByFilter_PagesThroughAll()
    {
        for (var i = 0; i < 5; i++)
        {
            await Create($"bf/{i}", i.ToString());
            _api.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var values = new List<string>();
        string? next = null;
        do
        {
            var page = await _api.OkAsync("BatchGetSecretValue", new { Filters = new[] { new { Key = "name", Values = new[] { "bf/" } } }, MaxResults = 2, NextToken = next });
            values.AddRange(page["SecretValues"]!.AsArray().Select(v => (string)v!["SecretString"]!));
            next = (string?)page["NextToken"];
        }
        while (next is not null);

        Assert.Equal(["0", "1", "2", "3", "4"], values);
    }

    [Fact]
    public async Task GetRandomPassword_Options_AreApplied()
    {
        var result = await _api.OkAsync("GetRandomPassword", new { PasswordLength = 40, ExcludePunctuation = true, ExcludeCharacters = "abc" });

        var password = (string)result["RandomPassword"]!;
        Assert.Equal(40, password.Length);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c) && c is not ('a' or 'b' or 'c')));
        await _api.ErrorAsync("GetRandomPassword", new { PasswordLength = 4097 }, "ValidationException");
    }
}
