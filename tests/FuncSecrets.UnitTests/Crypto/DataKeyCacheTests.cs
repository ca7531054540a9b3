using FuncSecrets.Core.Crypto;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class DataKeyCacheTests
{
    private readonly CountingKeyWrapper _wrapper = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetOrUnwrapAsync_SameWrappedKeyTwice_UnwrapsOnce()
    {
        using var cache = new DataKeyCache(10, TimeSpan.FromMinutes(15), _clock);
        var (wrapped, dataKey) = await WrapAsync(1);

        Assert.Equal(dataKey, await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default));
        Assert.Equal(dataKey, await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default));

        Assert.Equal(1, _wrapper.UnwrapCalls);
        Assert.Equal(1, cache.UnwrapCalls);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task GetOrUnwrapAsync_ReturnedCopyZeroedByCaller_CacheKeepsItsOwn()
    {
        using var cache = new DataKeyCache(10, TimeSpan.FromMinutes(15), _clock);
        var (wrapped, dataKey) = await WrapAsync(1);

        var first = await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);
        Array.Clear(first);

        Assert.Equal(dataKey, await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default));
    }

    [Fact]
    public async Task GetOrUnwrapAsync_AfterLifetime_UnwrapsAgain()
    {
        using var cache = new DataKeyCache(10, TimeSpan.FromMinutes(15), _clock);
        var (wrapped, _) = await WrapAsync(1);
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);
        Assert.Equal(1, _wrapper.UnwrapCalls);

        _clock.Advance(TimeSpan.FromTicks(1));
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);
        Assert.Equal(2, _wrapper.UnwrapCalls);
    }

    [Fact]
    public async Task Add_BeyondMaxEntries_EvictsOldestFirst()
    {
        using var cache = new DataKeyCache(3, TimeSpan.FromMinutes(15), _clock);
        var keys = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            var (wrapped, dataKey) = await WrapAsync((byte)i);
            cache.Add(_wrapper.KeyId, wrapped, dataKey);
            keys.Add(wrapped);
        }

        Assert.Equal(3, cache.Count);
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, keys[3], default);
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, keys[1], default);
        Assert.Equal(0, _wrapper.UnwrapCalls);
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, keys[0], default);
        Assert.Equal(1, _wrapper.UnwrapCalls);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task Add_ExpiredEntries_AreDroppedBeforeNewOnes()
    {
        using var cache = new DataKeyCache(100, TimeSpan.FromMinutes(1), _clock);
        for (var i = 0; i < 5; i++)
        {
            var (wrapped, dataKey) = await WrapAsync((byte)i);
            cache.Add(_wrapper.KeyId, wrapped, dataKey);
        }

        _clock.Advance(TimeSpan.FromMinutes(2));
        var (fresh, freshKey) = await WrapAsync(9);
        cache.Add(_wrapper.KeyId, fresh, freshKey);

        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task EvictedExpiredAndClearedKeys_AreZeroed()
    {
        using var cache = new DataKeyCache(2, TimeSpan.FromMinutes(1), _clock);
        var (wrapped0, key0) = await WrapAsync(10);
        var (wrapped1, key1) = await WrapAsync(11);
        var (wrapped2, key2) = await WrapAsync(12);
        cache.Add(_wrapper.KeyId, wrapped0, key0);
        var evicted = cache.LiveKeysForTests()[0];
        cache.Add(_wrapper.KeyId, wrapped1, key1);
        cache.Add(_wrapper.KeyId, wrapped2, key2);
        Assert.All(evicted, b => Assert.Equal(0, b));

        var expiring = cache.LiveKeysForTests()[0];
        Assert.Equal(key1, expiring);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped1, default);
        Assert.All(expiring, b => Assert.Equal(0, b));

        var live = cache.LiveKeysForTests();
        cache.Clear();
        Assert.All(live, key => Assert.All(key, b => Assert.Equal(0, b)));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrUnwrapAsync_SameBytesUnderOtherKeyId_IsNotAHit()
    {
        using var cache = new DataKeyCache(10, TimeSpan.FromMinutes(15), _clock);
        var (wrapped, dataKey) = await WrapAsync(1);
        cache.Add("https://kv.vault.azure.net/keys/other/1", wrapped, dataKey);

        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);

        Assert.Equal(1, _wrapper.UnwrapCalls);
    }

    [Theory]
    [InlineData(0, 900)]
    [InlineData(10, 0)]
    public async Task GetOrUnwrapAsync_CacheTurnedOff_AlwaysUnwraps(int maxEntries, int seconds)
    {
        using var cache = new DataKeyCache(maxEntries, TimeSpan.FromSeconds(seconds), _clock);
        var (wrapped, dataKey) = await WrapAsync(1);
        cache.Add(_wrapper.KeyId, wrapped, dataKey);

        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);
        await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, default);

        Assert.Equal(2, _wrapper.UnwrapCalls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrUnwrapAsync_ManyThreads_StaysWithinBoundAndCorrect()
    {
        using var cache = new DataKeyCache(16, TimeSpan.FromMinutes(15), _clock);
        var entries = new List<(byte[] Wrapped, byte[] DataKey)>();
        for (var i = 0; i < 64; i++)
        {
            entries.Add(await WrapAsync((byte)i));
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), async (i, ct) =>
        {
            var (wrapped, dataKey) = entries[i % entries.Count];
            Assert.Equal(dataKey, await cache.GetOrUnwrapAsync(_wrapper, _wrapper.KeyId, wrapped, ct));
        });

        Assert.InRange(cache.Count, 1, 16);
        Assert.Equal(2_000, cache.Hits + cache.UnwrapCalls);
    }

    private async Task<(byte[] Wrapped, byte[] DataKey)> WrapAsync(byte seed)
    {
        var dataKey = Enumerable.Repeat(seed, 32).ToArray();
        var wrapped = await _wrapper.WrapKeyAsync(dataKey, default);
        return (wrapped.Value, dataKey);
    }
}
