using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.StoreContract;

/// <summary>
/// The listing seam (<see cref="ISecretStore.ListOrderedAsync"/>, issue 13): every order and
/// direction, name prefixes, planned deletion both ways, and positions that stay valid while
/// secrets come, go and move.
/// </summary>
public abstract partial class SecretStoreContract
{
    // Names whose ordinal order differs from their escaped row keys' order ('/' sorts below '0'
    // and below letters; escaping maps it to '|', above them), plus prefixes of one another.
    private static readonly string[] OrderNames = ["a", "a/b", "a/b/c", "a.b", "a-b", "a0", "ab", "A", "Z/1", "_x", "b!", "b+c", "b=c", "b@c"];

    [Fact]
    public async Task ListOrderedAsync_EveryOrderAndDirection_ListsLikeASortOfTheMetadata()
    {
        var (store, _) = await NewStoreAsync("orders");
        var records = await CreateVariedAsync(store, OrderNames);

        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            foreach (var descending in new[] { false, true })
            {
                foreach (var includeDeleted in new[] { false, true })
                {
                    var expected = Sorted(records.Where(r => includeDeleted || !r.IsDeleted), sortBy, descending);
                    var listed = await ListAllAsync(store, new SecretListQuery(sortBy, descending, null, includeDeleted, null, 3));
                    Assert.True(expected.SequenceEqual(listed), $"{sortBy} desc={descending} deleted={includeDeleted}: [{string.Join(", ", listed)}]");
                }
            }
        }
    }

    [Fact]
    public async Task ListOrderedAsync_NamePrefixes_ListsOnlyNamesStartingWithThemCaseSensitively()
    {
        var (store, _) = await NewStoreAsync("prefixes");
        var records = await CreateVariedAsync(store, OrderNames);
        string[] prefixes = ["a/", "a/b", "b", "A"];

        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            foreach (var descending in new[] { false, true })
            {
                var expected = Sorted(records.Where(r => !r.IsDeleted && prefixes.Any(p => r.Name.StartsWith(p, StringComparison.Ordinal))), sortBy, descending);
                var listed = await ListAllAsync(store, new SecretListQuery(sortBy, descending, prefixes, false, null, 2));
                Assert.True(expected.SequenceEqual(listed), $"{sortBy} desc={descending}: [{string.Join(", ", listed)}]");
            }
        }

        Assert.Empty(await ListAllAsync(store, new SecretListQuery(SecretSortKey.Name, false, ["a/c", "B"], true, null, 5)));
    }

    [Fact]
    public async Task ListOrderedAsync_SecretsComeAndGoBetweenPages_EverySecretPresentThroughoutListedExactlyOnce()
    {
        foreach (var sortBy in new[] { SecretSortKey.CreatedDate, SecretSortKey.Name })
        {
            foreach (var descending in new[] { false, true })
            {
                var (store, _) = await NewStoreAsync("stable" + sortBy + descending);
                var steady = Enumerable.Range(0, 12).Select(i => $"steady/{i:D2}").ToList();
                var transient = Enumerable.Range(0, 12).Select(i => $"transient/{i:D2}").ToList();
                foreach (var (name, i) in steady.Concat(transient).Select((n, i) => (n, i)))
                {
                    await CreateAtAsync(store, name, T0.AddMinutes((i * 7) % 24));
                }

                var seen = new List<string>();
                SecretListPosition? after = null;
                for (var page = 0; page < 50; page++)
                {
                    var taken = await TakeAsync(store, new SecretListQuery(sortBy, descending, null, false, after, 4), 4);
                    if (taken.Count == 0)
                    {
                        break;
                    }

                    seen.AddRange(taken.Select(r => r.Name));
                    after = SecretListKeys.PositionOf(taken[^1], sortBy);

                    // Between pages: a transient secret goes, a new one comes (before and after the position).
                    if (page < transient.Count)
                    {
                        await store.DeleteAsync(transient[page], default);
                        await CreateAtAsync(store, $"new/{page:D2}", T0.AddMinutes(page % 2 == 0 ? -5 : 60));
                        await CreateAtAsync(store, $"0new/{page:D2}", T0.AddMinutes(12));
                    }
                }

                Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
                Assert.All(steady, name => Assert.Single(seen, name));
            }
        }
    }

    [Fact]
    public async Task ListOrderedAsync_UpdateAndTouchBetweenPages_SecretListedOnceAtItsNewPlace()
    {
        var (store, _) = await NewStoreAsync("moves");
        foreach (var i in Enumerable.Range(0, 6))
        {
            await CreateAtAsync(store, $"m/{i}", T0.AddMinutes(i));
        }

        // m/0 changes last: it moves from first to last in the LastChangedDate order.
        var record = (await store.GetAsync("m/0", default))!;
        record.LastChangedDate = T0.AddDays(1);
        Assert.True(await store.TryUpdateAsync(record, [], [], default));
        Assert.Equal(["m/1", "m/2", "m/3", "m/4", "m/5", "m/0"], await ListAllAsync(store, new SecretListQuery(SecretSortKey.LastChangedDate, false, null, false, null, 2)));

        // m/5 is read today: it moves to the end of the LastAccessedDate order, once.
        await store.TouchAsync("m/5", "v1", T0.AddDays(2), default);
        var accessed = await ListAllAsync(store, new SecretListQuery(SecretSortKey.LastAccessedDate, true, null, false, null, 2));
        Assert.Equal("m/5", accessed[0]);
        Assert.Single(accessed, "m/5");
        Assert.Equal(6, accessed.Count);

        // Scheduled for deletion: out of the live listing, in the full one, once.
        record = (await store.GetAsync("m/3", default))!;
        record.DeletedDate = T0.AddDays(3);
        Assert.True(await store.TryUpdateAsync(record, [], [], default));
        Assert.DoesNotContain("m/3", await ListAllAsync(store, new SecretListQuery(SecretSortKey.Name, false, ["m/"], false, null, 2)));
        Assert.Single(await ListAllAsync(store, new SecretListQuery(SecretSortKey.Name, false, ["m/"], true, null, 2)), "m/3");
    }

    [Fact]
    public async Task ListOrderedAsync_ListedRecords_CarryMetadataWithoutSealedValues()
    {
        var (store, _) = await NewStoreAsync("listedmeta");
        await CreateAtAsync(store, "meta/only", T0);

        var listed = await TakeAsync(store, new SecretListQuery(SecretSortKey.CreatedDate, false, null, false, null, 10), 10);

        var record = Assert.Single(listed);
        Assert.Null(record.CurrentValue);
        Assert.NotNull(record.ETag);
        Assert.Equal("AbC123", record.ArnSuffix);
    }

    private static async Task<SecretRecord> CreateAtAsync(ISecretStore store, string name, DateTimeOffset created)
    {
        var version = Version("v1");
        var record = Record(name, version, created);
        record.LastChangedDate = created;
        Assert.True(await store.CreateAsync(record, [version], default));
        return record;
    }

    /// <summary>Secrets with dates that tie and differ in every order; every third scheduled for deletion.</summary>
    private static async Task<List<SecretRecord>> CreateVariedAsync(ISecretStore store, IEnumerable<string> names)
    {
        var records = new List<SecretRecord>();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var version = Version("v1");
            var record = Record(name, version, T0.AddMinutes(i % 4));
            record.LastChangedDate = T0.AddMinutes(10 - (i % 5));
            record.LastAccessedDate = i % 3 == 1 ? null : T0.AddDays(i % 2);
            record.DeletedDate = i % 3 == 2 ? T0.AddDays(1) : null;
            Assert.True(await store.CreateAsync(record, [version], default));
            records.Add(record);
        }

        return records;
    }

    private static List<string> Sorted(IEnumerable<SecretRecord> records, SecretSortKey sortBy, bool descending)
    {
        var positions = records.Select(r => SecretListKeys.PositionOf(r, sortBy)).ToList();
        positions.Sort(SecretListKeys.Compare);
        if (descending)
        {
            positions.Reverse();
        }

        return positions.Select(p => p.Name).ToList();
    }

    /// <summary>Pages through a whole listing as ListSecrets does: each page a new query after the last position.</summary>
    private static async Task<List<string>> ListAllAsync(ISecretStore store, SecretListQuery query)
    {
        var names = new List<string>();
        var after = query.After;
        while (true)
        {
            var page = await TakeAsync(store, query with { After = after }, query.PageHint);
            names.AddRange(page.Select(r => r.Name));
            if (page.Count < query.PageHint)
            {
                return names;
            }

            after = SecretListKeys.PositionOf(page[^1], query.SortBy);
        }
    }

    private static async Task<List<SecretRecord>> TakeAsync(ISecretStore store, SecretListQuery query, int count)
    {
        var taken = new List<SecretRecord>();
        await foreach (var record in store.ListOrderedAsync(query, default))
        {
            taken.Add(record);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }
}
