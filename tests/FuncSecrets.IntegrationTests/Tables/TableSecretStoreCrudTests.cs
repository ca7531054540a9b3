using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Model;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableSecretStoreCrudTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableSecretStore _store = null!;

    public async Task InitializeAsync() => _store = await NewStoreAsync(azurite, nameof(TableSecretStoreCrudTests));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateAsync_FullRecord_GetReturnsEveryField()
    {
        var version = Version("v1");
        var record = FullRecord("app/db-password", version);

        Assert.True(await _store.CreateAsync(record, [version], default));
        var read = await _store.GetAsync("app/db-password", default);

        Assert.NotNull(read);
        Assert.NotNull(record.ETag);
        Assert.Equal(record.ETag, read.ETag);
        Assert.Equal(record.Name, read.Name);
        Assert.Equal(record.ArnSuffix, read.ArnSuffix);
        Assert.Equal(record.Description, read.Description);
        Assert.Equal(record.KmsKeyId, read.KmsKeyId);
        Assert.Equal(record.Tags, read.Tags);
        Assert.Equal(record.ResourcePolicy, read.ResourcePolicy);
        Assert.Equal(record.RotationEnabled, read.RotationEnabled);
        Assert.Equal(record.RotationLambdaArn, read.RotationLambdaArn);
        Assert.Equal(record.RotationRules, read.RotationRules);
        Assert.Equal(record.LastRotatedDate, read.LastRotatedDate);
        Assert.Equal(record.NextRotationDate, read.NextRotationDate);
        Assert.Equal(record.RotationToken, read.RotationToken);
        Assert.Null(read.DeletedDate);
        Assert.Null(read.PurgeDate);
        Assert.Equal(record.CreatedDate, read.CreatedDate);
        Assert.Equal(record.LastChangedDate, read.LastChangedDate);
        Assert.Equal(record.LastAccessedDate, read.LastAccessedDate);
        var entry = Assert.Single(read.Versions);
        Assert.Equal("v1", entry.Key);
        Assert.Equal(version.CreatedDate, entry.Value.CreatedDate);
        Assert.Equal([StagingLabels.Current], entry.Value.Stages);
        AssertSealedEqual(version.Value, read.CurrentValue);
    }

    [Fact]
    public async Task CreateAsync_MinimalRecord_OptionalFieldsReadBackAbsent()
    {
        var version = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("minimal", version), [version], default));

        var read = await _store.GetAsync("minimal", default);

        Assert.NotNull(read);
        Assert.Null(read.Description);
        Assert.Null(read.Tags);
        Assert.Null(read.RotationRules);
        Assert.Null(read.RotationEnabled);
        Assert.Null(read.LastAccessedDate);
    }

    [Fact]
    public async Task CreateAsync_EmptyTagList_ReadsBackEmptyNotNull()
    {
        var version = Version("v1");
        var record = MinimalRecord("untagged", version);
        record.Tags = [];
        Assert.True(await _store.CreateAsync(record, [version], default));

        var read = await _store.GetAsync("untagged", default);

        Assert.NotNull(read!.Tags);
        Assert.Empty(read.Tags);
    }

    [Fact]
    public async Task CreateAsync_ExistingName_ReturnsFalseAndKeepsTheFirst()
    {
        var first = Version("v1");
        var second = Version("v2");
        Assert.True(await _store.CreateAsync(MinimalRecord("taken", first), [first], default));

        Assert.False(await _store.CreateAsync(MinimalRecord("taken", second), [second], default));

        var read = await _store.GetAsync("taken", default);
        Assert.Equal(["v1"], read!.Versions.Keys);
        Assert.Null(await _store.GetVersionAsync("taken", "v2", default));
    }

    [Fact]
    public async Task GetAsync_UnknownName_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync("no-such-secret", default));
        Assert.Null(await _store.GetVersionAsync("no-such-secret", "v1", default));
    }

    [Fact]
    public async Task GetVersionAsync_StoredVersion_ReturnsSealedValue()
    {
        var version = Version("3f2c8a90-5d7e-4b1a-9c0d-1e2f3a4b5c6d");
        Assert.True(await _store.CreateAsync(MinimalRecord("versioned", version), [version], default));

        var read = await _store.GetVersionAsync("versioned", version.VersionId, default);

        Assert.NotNull(read);
        Assert.Equal(version.VersionId, read.VersionId);
        Assert.Equal(version.CreatedDate, read.CreatedDate);
        AssertSealedEqual(version.Value, read.Value);
    }

    [Fact]
    public async Task ListVersionsAsync_TwoVersions_ReturnsBothWithoutValues()
    {
        var v1 = Version("v1");
        var v2 = Version("v2", created: Created.AddMinutes(1));
        var record = MinimalRecord("two-versions", v1);
        record.Versions["v2"] = new VersionEntry { CreatedDate = v2.CreatedDate };
        Assert.True(await _store.CreateAsync(record, [v1, v2], default));

        var versions = await _store.ListVersionsAsync("two-versions", default);

        Assert.Equal(["v1", "v2"], versions.Select(v => v.VersionId).Order());
        Assert.All(versions, v => Assert.Null(v.Value));
        Assert.Equal(v2.CreatedDate, versions.Single(v => v.VersionId == "v2").CreatedDate);
    }

    [Fact]
    public async Task CreateAsync_CiphertextOver64KiB_RoundTripsInMetadataAndVersionRow()
    {
        // The largest value: 65,536 bytes + 1-byte type prefix + 16-byte GCM tag.
        var version = Version("big", Sealed(65_536 + 1 + 16));
        Assert.True(await _store.CreateAsync(MinimalRecord("big-secret", version), [version], default));

        var record = await _store.GetAsync("big-secret", default);
        var stored = await _store.GetVersionAsync("big-secret", "big", default);

        AssertSealedEqual(version.Value, record!.CurrentValue);
        AssertSealedEqual(version.Value, stored!.Value);
        var raw = await _store.Client.GetEntityAsync(_store.TableName, TableKeyEscaper.Escape("big-secret"), "v:big", default);
        Assert.Equal(65_536, raw!.GetBinary("Ct")!.Length);
        Assert.Equal(17, raw.GetBinary("Ct2")!.Length);
    }

    [Theory]
    [InlineData("a/b", "a_b")]
    [InlineData("path/to/secret", "path|to|secret")]
    [InlineData("x+y=z.w@q!r-s", "x+y=z.w@q!r-s/")]
    public async Task CreateAsync_NamesDifferingInEscapedCharacters_AreDistinctSecrets(string first, string second)
    {
        var v1 = Version("v1");
        var v2 = Version("v2");

        Assert.True(await _store.CreateAsync(MinimalRecord(first, v1), [v1], default));
        Assert.True(await _store.CreateAsync(MinimalRecord(second, v2), [v2], default));

        Assert.Equal(["v1"], (await _store.GetAsync(first, default))!.Versions.Keys);
        Assert.Equal(["v2"], (await _store.GetAsync(second, default))!.Versions.Keys);
        Assert.Equal(first, (await _store.GetAsync(first, default))!.Name);
        AssertSealedEqual(v2.Value, (await _store.GetVersionAsync(second, "v2", default))!.Value);
    }

    [Fact]
    public async Task CreateAsync_NameWithEverySpecialCharacter_SupportsEveryOperation()
    {
        const string name = "team/app_1+x=y.z@corp!prod-db/";
        var version = Version("id/with+odd=chars");
        Assert.True(await _store.CreateAsync(MinimalRecord(name, version), [version], default));

        var record = await _store.GetAsync(name, default);
        Assert.Equal(name, record!.Name);
        Assert.Equal(version.VersionId, Assert.Single(await _store.ListVersionsAsync(name, default)).VersionId);
        await _store.TouchAsync(name, version.VersionId, Created.Date, default);
        // Touch changed the metadata row's ETag: read it again before writing.
        var added = Version("v2");
        record = await _store.GetAsync(name, default);
        record!.Versions.Remove(version.VersionId);
        record.Versions["v2"] = new VersionEntry { CreatedDate = added.CreatedDate, Stages = [StagingLabels.Current] };
        Assert.True(await _store.TryUpdateAsync(record, [added], [version.VersionId], default));
        Assert.Null(await _store.GetVersionAsync(name, version.VersionId, default));
        await _store.DeleteAsync(name, default);
        Assert.Null(await _store.GetAsync(name, default));
    }

    [Fact]
    public async Task TouchAsync_ExistingVersion_SetsLastAccessedOnBothRows()
    {
        var version = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("touched", version), [version], default));
        var day = new DateTimeOffset(2024, 6, 7, 0, 0, 0, TimeSpan.Zero);

        await _store.TouchAsync("touched", "v1", day, default);

        Assert.Equal(day, (await _store.GetAsync("touched", default))!.LastAccessedDate);
        Assert.Equal(day, (await _store.GetVersionAsync("touched", "v1", default))!.LastAccessedDate);
        Assert.Equal(day, Assert.Single(await _store.ListVersionsAsync("touched", default)).LastAccessedDate);
    }

    [Fact]
    public async Task TouchAsync_MissingSecret_DoesNotThrowOrCreateRows()
    {
        await _store.TouchAsync("never-created", "v1", Created, default);

        Assert.Null(await _store.GetAsync("never-created", default));
        Assert.Null(await _store.GetVersionAsync("never-created", "v1", default));
    }

    [Fact]
    public async Task DeleteAsync_ExistingSecret_RemovesEveryRowAndIsIdempotent()
    {
        var v1 = Version("v1");
        var v2 = Version("v2");
        var record = MinimalRecord("doomed", v1);
        record.Versions["v2"] = new VersionEntry { CreatedDate = v2.CreatedDate };
        Assert.True(await _store.CreateAsync(record, [v1, v2], default));

        await _store.DeleteAsync("doomed", default);
        await _store.DeleteAsync("doomed", default);

        Assert.Null(await _store.GetAsync("doomed", default));
        Assert.Empty(await _store.ListVersionsAsync("doomed", default));
        var again = Version("v3");
        Assert.True(await _store.CreateAsync(MinimalRecord("doomed", again), [again], default));
    }

    [Fact]
    public async Task DeleteAsync_MoreRowsThanOneTransaction_RemovesThemAll()
    {
        var versions = Enumerable.Range(0, 150).Select(i => Version($"v{i:D3}", Sealed(16))).ToList();
        var record = MinimalRecord("many-versions", versions[0]);
        foreach (var v in versions.Skip(1))
        {
            record.Versions[v.VersionId] = new VersionEntry { CreatedDate = v.CreatedDate };
        }

        Assert.True(await _store.CreateAsync(record, versions.Take(99).ToList(), default));
        Assert.True(await _store.TryUpdateAsync(record, versions.Skip(99).ToList(), [], default));
        Assert.Equal(150, (await _store.ListVersionsAsync("many-versions", default)).Count);

        await _store.DeleteAsync("many-versions", default);

        Assert.Null(await _store.GetAsync("many-versions", default));
        Assert.Empty(await _store.ListVersionsAsync("many-versions", default));
    }
}
