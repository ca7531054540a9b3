using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>
/// Listing, batch reads and passwords over Azurite. Deletion, restore, purge and tags are tested on
/// the in-memory store in <c>UnitTests/Operations/DeletionAndTagsTests</c> (issue 12).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeletionAndListingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "dele");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<System.Text.Json.Nodes.JsonObject> Create(string name, string value = "v", object? extra = null) =>
        _api.OkAsync("CreateSecret", extra ?? new { Name = name, SecretString = value, ClientRequestToken = ApiHarness.Token() });

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
