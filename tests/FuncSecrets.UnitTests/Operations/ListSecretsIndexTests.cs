using System.Runtime.CompilerServices;
using System.Text;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.UnitTests.Operations;

/// <summary>
/// ListSecrets and BatchGetSecretValue over the listing index (issue 13): which filters read the
/// index and which still scan, AWS's answers kept, and NextToken values from a hostile caller.
/// </summary>
public sealed class ListSecretsIndexTests : IDisposable
{
    private readonly InMemoryApi _api = new();
    private readonly ScanCountingStore _store;
    private readonly OperationDependencies _deps;

    public ListSecretsIndexTests()
    {
        _store = new ScanCountingStore(_api.Store);
        _deps = new OperationDependencies(_store, _api.Store, _api.Deps.Cipher, _api.Deps.Options, _api.Time, _api.Deps.Authorizer, NullLoggerFactory.Instance);
    }

    public void Dispose() => _api.Dispose();

    [Theory]
    [InlineData(null, null)]
    [InlineData("name", "desc")]
    [InlineData("last-changed-date", "asc")]
    [InlineData("last-accessed-date", "desc")]
    public async Task ListSecrets_NoFilterAnyOrder_ReadsTheIndexNotAScan(string? sortBy, string? sortOrder)
    {
        await CreateManyAsync("idx/a", "idx/b", "idx/c");

        var names = await ListNamesAsync(new ListSecretsRequest { SortBy = sortBy, SortOrder = sortOrder, MaxResults = 1 });

        Assert.Equal(3, names.Count);
        Assert.Equal(0, _store.Scans);
    }

    [Fact]
    public async Task ListSecrets_NameFilterSeveralValues_ReadsTheIndexAndMatchesCaseSensitivePrefixes()
    {
        await CreateManyAsync("prod/db", "prod/api", "Prod/web", "dev/db", "production");

        var names = await ListNamesAsync(new ListSecretsRequest
        {
            Filters = [new Filter { Key = "name", Values = ["prod/", "dev"] }],
            MaxResults = 2,
        });

        // Default order: CreatedDate, the order they were made in.
        Assert.Equal(["prod/db", "prod/api", "dev/db"], names);
        Assert.Equal(0, _store.Scans);
    }

    [Theory]
    [InlineData("name", "!prod")]
    [InlineData("tag-key", "env")]
    [InlineData("description", "db")]
    [InlineData("all", "prod")]
    public async Task ListSecrets_FilterTheIndexCannotServe_ScansAsBefore(string key, string value)
    {
        await CreateManyAsync("prod/db", "dev/db");

        await ListNamesAsync(new ListSecretsRequest { Filters = [new Filter { Key = key, Values = [value] }] });

        Assert.True(_store.Scans > 0);
    }

    [Fact]
    public async Task ListSecrets_NameAndTagFilters_ScanAndApplyBoth()
    {
        await CreateManyAsync("prod/db", "prod/api");

        var names = await ListNamesAsync(new ListSecretsRequest
        {
            Filters = [new Filter { Key = "name", Values = ["prod/"] }, new Filter { Key = "tag-key", Values = ["!nothing"] }],
        });

        Assert.Equal(["prod/db", "prod/api"], names);
    }

    [Fact]
    public async Task BatchGetSecretValue_Filters_ReadTheIndexAndPageThroughAll()
    {
        await CreateManyAsync("bf/1", "bf/2", "bf/3", "other");
        var handler = new BatchGetSecretValueHandler(_deps, new AccessRecorder(_deps));
        var values = new List<string>();
        string? next = null;
        do
        {
            var page = await handler.ExecuteAsync(
                new BatchGetSecretValueRequest { Filters = [new Filter { Key = "name", Values = ["bf/"] }], MaxResults = 2, NextToken = next },
                InMemoryApi.Context("BatchGetSecretValue"),
                default);
            values.AddRange(page.SecretValues!.Select(v => v.Name!));
            next = page.NextToken;
        }
        while (next is not null);

        Assert.Equal(["bf/1", "bf/2", "bf/3"], values);
        Assert.Equal(0, _store.Scans);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("")]
    [InlineData("bGlzdA")] // "list": no position at all
    public async Task ListSecrets_GarbledNextToken_ThrowsInvalidNextToken(string token) =>
        await AssertInvalidTokenAsync(new ListSecretsRequest { NextToken = token });

    [Theory]
    [InlineData("list:created-date:asc\n0000000000000000001\na b?c#d")]        // not a secret name
    [InlineData("list:created-date:asc\n0000000000000000001\nname\u0000")]    // control character
    [InlineData("list:created-date:asc\n00000000000000000x1\nname")]          // key not ticks
    [InlineData("list:created-date:asc\n9999999999999999999\nname")]            // beyond any date
    [InlineData("list:created-date:asc\n1\nname")]                              // key not fixed width
    [InlineData("list:created-date:asc\nname")]                                 // no key
    [InlineData("list:name:asc\nother\nname")]                                  // name order: key must be the name
    [InlineData("list:name:desc\nname\nname")]                                  // issued for another direction
    [InlineData("batch:created-date:asc\n0000000000000000001\nname")]          // issued by BatchGetSecretValue
    public async Task ListSecrets_ForgedNextToken_ThrowsInvalidNextToken(string text)
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await AssertInvalidTokenAsync(new ListSecretsRequest { NextToken = token, SortBy = text.StartsWith("list:name", StringComparison.Ordinal) ? "name" : null });
    }

    [Fact]
    public async Task ListSecrets_ForgedButWellFormedPosition_ListsOnlyWhatFollowsIt()
    {
        await CreateManyAsync("f/a", "f/b", "f/c");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("list:name:asc\nf/a\nf/a")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var names = await ListNamesAsync(new ListSecretsRequest { SortBy = "name", NextToken = token });

        Assert.Equal(["f/b", "f/c"], names);
    }

    [Fact]
    public async Task ListSecrets_MaxResultsOutOfRange_KeepsAwsValidation()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => ListNamesAsync(new ListSecretsRequest { MaxResults = 101 }));

        Assert.Equal("ValidationException", error.Code);
    }

    private async Task AssertInvalidTokenAsync(ListSecretsRequest request)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => new ListSecretsHandler(_deps).ExecuteAsync(request, InMemoryApi.Context("ListSecrets"), default));
        Assert.Equal("InvalidNextTokenException", error.Code);
        Assert.Equal("The NextToken value is invalid.", error.Message);
        Assert.Equal(400, error.StatusCode);
    }

    private async Task CreateManyAsync(params string[] names)
    {
        foreach (var name in names)
        {
            _api.Time.Advance(TimeSpan.FromSeconds(1));
            await new CreateSecretHandler(_deps).ExecuteAsync(
                new CreateSecretRequest { Name = name, ClientRequestToken = Guid.NewGuid().ToString(), SecretString = "value" }, InMemoryApi.Context("CreateSecret"), default);
        }
    }

    private async Task<List<string>> ListNamesAsync(ListSecretsRequest request)
    {
        var names = new List<string>();
        var next = request.NextToken;
        do
        {
            var page = await new ListSecretsHandler(_deps).ExecuteAsync(
                new ListSecretsRequest { Filters = request.Filters, SortBy = request.SortBy, SortOrder = request.SortOrder, MaxResults = request.MaxResults, NextToken = next },
                InMemoryApi.Context("ListSecrets"),
                default);
            names.AddRange(page.SecretList!.Select(e => e.Name!));
            next = page.NextToken;
        }
        while (next is not null);

        return names;
    }

    /// <summary>The in-memory store, counting full scans (<see cref="ISecretStore.ListAsync"/>).</summary>
    private sealed class ScanCountingStore(InMemorySecretStore inner) : ISecretStore
    {
        public int Scans { get; private set; }

        public Task<SecretRecord?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public Task<StoredVersion?> GetVersionAsync(string name, string versionId, CancellationToken cancellationToken) => inner.GetVersionAsync(name, versionId, cancellationToken);

        public Task<IReadOnlyList<StoredVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken) => inner.ListVersionsAsync(name, cancellationToken);

        public Task<bool> CreateAsync(SecretRecord record, IReadOnlyList<StoredVersion> versions, CancellationToken cancellationToken) => inner.CreateAsync(record, versions, cancellationToken);

        public Task<bool> TryUpdateAsync(SecretRecord record, IReadOnlyList<StoredVersion> added, IReadOnlyList<string> removedVersionIds, CancellationToken cancellationToken) =>
            inner.TryUpdateAsync(record, added, removedVersionIds, cancellationToken);

        public Task TouchAsync(string name, string versionId, DateTimeOffset day, CancellationToken cancellationToken) => inner.TouchAsync(name, versionId, day, cancellationToken);

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

        public async IAsyncEnumerable<SecretRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Scans++;
            await foreach (var record in inner.ListAsync(cancellationToken))
            {
                yield return record;
            }
        }

        public IAsyncEnumerable<SecretRecord> ListOrderedAsync(SecretListQuery query, CancellationToken cancellationToken) => inner.ListOrderedAsync(query, cancellationToken);
    }
}
