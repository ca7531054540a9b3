using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Model;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableSecretStoreUpdateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableSecretStore _store = null!;

    public async Task InitializeAsync() => _store = await NewStoreAsync(azurite, nameof(TableSecretStoreUpdateTests));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TryUpdateAsync_CurrentETag_AppliesMetadataAddsAndRemovesTogether()
    {
        var v1 = Version("v1");
        var record = MinimalRecord("rotating", v1);
        Assert.True(await _store.CreateAsync(record, [v1], default));
        var firstETag = record.ETag;

        var v2 = Version("v2");
        record.Description = "changed";
        record.Versions.Remove("v1");
        record.Versions["v2"] = new VersionEntry { CreatedDate = v2.CreatedDate, Stages = [StagingLabels.Current] };
        record.CurrentValue = v2.Value;
        Assert.True(await _store.TryUpdateAsync(record, [v2], ["v1"], default));

        Assert.NotEqual(firstETag, record.ETag);
        var read = await _store.GetAsync("rotating", default);
        Assert.Equal(record.ETag, read!.ETag);
        Assert.Equal("changed", read.Description);
        Assert.Equal(["v2"], read.Versions.Keys);
        AssertSealedEqual(v2.Value, read.CurrentValue);
        Assert.Null(await _store.GetVersionAsync("rotating", "v1", default));
        AssertSealedEqual(v2.Value, (await _store.GetVersionAsync("rotating", "v2", default))!.Value);
    }

    [Fact]
    public async Task TryUpdateAsync_StaleETag_ReturnsFalseAndWritesNothing()
    {
        var v1 = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("contended", v1), [v1], default));
        var mine = (await _store.GetAsync("contended", default))!;
        var theirs = mine.Clone();
        theirs.Description = "theirs";
        Assert.True(await _store.TryUpdateAsync(theirs, [], [], default));

        var v2 = Version("v2");
        mine.Description = "mine";
        mine.Versions["v2"] = new VersionEntry { CreatedDate = v2.CreatedDate };
        var staleETag = mine.ETag;
        Assert.False(await _store.TryUpdateAsync(mine, [v2], ["v1"], default));

        Assert.Equal(staleETag, mine.ETag);
        var read = await _store.GetAsync("contended", default);
        Assert.Equal("theirs", read!.Description);
        Assert.Null(await _store.GetVersionAsync("contended", "v2", default));
        Assert.NotNull(await _store.GetVersionAsync("contended", "v1", default));
    }

    [Fact]
    public async Task TryUpdateAsync_SecretPurgedMeanwhile_ReturnsFalse()
    {
        var v1 = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("purged", v1), [v1], default));
        var record = (await _store.GetAsync("purged", default))!;
        await _store.DeleteAsync("purged", default);

        Assert.False(await _store.TryUpdateAsync(record, [Version("v2")], [], default));

        Assert.Null(await _store.GetVersionAsync("purged", "v2", default));
    }

    [Fact]
    public async Task TryUpdateAsync_VersionBothRemovedAndAdded_RewritesTheRow()
    {
        // Changing KmsKeyId re-wraps labelled versions: same id, new sealed value.
        var v1 = Version("v1");
        var record = MinimalRecord("rewrapped", v1);
        Assert.True(await _store.CreateAsync(record, [v1], default));

        var rewrapped = Version("v1", Sealed(keyId: "local:kek-2"));
        record.KmsKeyId = "alias/other";
        record.CurrentValue = rewrapped.Value;
        Assert.True(await _store.TryUpdateAsync(record, [rewrapped], ["v1"], default));

        AssertSealedEqual(rewrapped.Value, (await _store.GetVersionAsync("rewrapped", "v1", default))!.Value);
        AssertSealedEqual(rewrapped.Value, (await _store.GetAsync("rewrapped", default))!.CurrentValue);
    }

    [Fact]
    public async Task TryUpdateAsync_RemovedVersionAlreadyGone_StillCommits()
    {
        var v1 = Version("v1");
        var v2 = Version("v2");
        var record = MinimalRecord("half-gone", v1);
        record.Versions["v2"] = new VersionEntry { CreatedDate = v2.CreatedDate };
        Assert.True(await _store.CreateAsync(record, [v1, v2], default));
        await _store.Client.DeleteEntityAsync(_store.TableName, TableKeyEscaper.Escape("half-gone"), "v:v2", "*", default);

        record.Versions.Remove("v2");
        record.Description = "trimmed";
        Assert.True(await _store.TryUpdateAsync(record, [], ["v2"], default));

        Assert.Equal("trimmed", (await _store.GetAsync("half-gone", default))!.Description);
    }

    [Fact]
    public async Task TryUpdateAsync_TwoWritersFromOneRead_ExactlyOneWins()
    {
        var v1 = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("race", v1), [v1], default));
        var a = (await _store.GetAsync("race", default))!;
        var b = a.Clone();
        a.Description = "a";
        b.Description = "b";

        var results = await Task.WhenAll(_store.TryUpdateAsync(a, [], [], default), _store.TryUpdateAsync(b, [], [], default));

        Assert.Single(results, r => r);
        var winner = results[0] ? "a" : "b";
        Assert.Equal(winner, (await _store.GetAsync("race", default))!.Description);
    }

    [Fact]
    public async Task TryUpdateAsync_TouchedSinceRead_ReturnsFalseThenSucceedsAfterReload()
    {
        var v1 = Version("v1");
        Assert.True(await _store.CreateAsync(MinimalRecord("read-then-write", v1), [v1], default));
        var record = (await _store.GetAsync("read-then-write", default))!;
        var day = new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero);
        await _store.TouchAsync("read-then-write", "v1", day, default);

        record.Description = "after touch";
        Assert.False(await _store.TryUpdateAsync(record, [], [], default));

        var reloaded = (await _store.GetAsync("read-then-write", default))!;
        reloaded.Description = "after touch";
        Assert.True(await _store.TryUpdateAsync(reloaded, [], [], default));
        Assert.Equal(day, (await _store.GetAsync("read-then-write", default))!.LastAccessedDate);
    }
}
