using System.Security.Cryptography;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Unwrapped data keys held in memory so steady-state reads make no Key Vault call, bounded in
/// count and in lifetime. An entry is found by the wrapping key's id and the SHA-256 of the
/// wrapped bytes, so a row only ever gets the key that its own wrapped key unwraps to.
/// </summary>
/// <remarks>
/// The lifetime is absolute (from when the key was unwrapped), not sliding: it bounds how long a
/// disabled or revoked Key Vault key keeps working here. Eviction is oldest-first, which with an
/// absolute lifetime is also expiry order. Evicted and expired keys are zeroed; keys live in
/// pinned arrays so the GC never copies them. Callers get their own copy and must zero it.
/// </remarks>
public sealed class DataKeyCache : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<CacheKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _byAge = new();
    private readonly TimeProvider _timeProvider;
    private long _unwrapCalls;
    private long _hits;

    /// <param name="maxEntries">Most keys held; 0 turns caching off (every open unwraps).</param>
    /// <param name="lifetime">How long a key stays usable after it was cached; zero turns caching off.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public DataKeyCache(int maxEntries = 10_000, TimeSpan? lifetime = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        var effectiveLifetime = lifetime ?? TimeSpan.FromMinutes(15);
        ArgumentOutOfRangeException.ThrowIfLessThan(effectiveLifetime, TimeSpan.Zero, nameof(lifetime));
        MaxEntries = maxEntries;
        Lifetime = effectiveLifetime;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public int MaxEntries { get; }

    public TimeSpan Lifetime { get; }

    /// <summary>Unwraps that went to a key wrapper (cache misses). Steady state: flat.</summary>
    public long UnwrapCalls => Interlocked.Read(ref _unwrapCalls);

    /// <summary>Opens answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private bool Enabled => MaxEntries > 0 && Lifetime > TimeSpan.Zero;

    /// <summary>
    /// The data key for <paramref name="wrappedKey"/>: from the cache, or unwrapped by
    /// <paramref name="wrapper"/> and cached. The returned array is the caller's to zero.
    /// </summary>
    public async Task<byte[]> GetOrUnwrapAsync(IKeyWrapper wrapper, string keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken)
    {
        var key = CacheKey.Create(keyId, wrappedKey.Span);
        if (TryGet(key) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        // Concurrent misses for one key may each unwrap once; that is bounded by the number of
        // callers and avoids making every caller wait on (or be cancelled with) the first one.
        Interlocked.Increment(ref _unwrapCalls);
        var dataKey = await wrapper.UnwrapKeyAsync(keyId, wrappedKey, cancellationToken);
        Add(key, dataKey);
        return dataKey;
    }

    /// <summary>Caches a data key whose wrapped form is known (just sealed or re-wrapped).</summary>
    public void Add(string keyId, ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> dataKey) =>
        Add(CacheKey.Create(keyId, wrappedKey), dataKey);

    /// <summary>Drops and zeroes every cached key.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var entry in _byAge)
            {
                CryptographicOperations.ZeroMemory(entry.DataKey);
            }

            _byAge.Clear();
            _entries.Clear();
        }
    }

    public void Dispose() => Clear();

    /// <summary>The cached arrays themselves (not copies), oldest first: lets tests see that evicted keys are zeroed.</summary>
    internal byte[][] LiveKeysForTests()
    {
        lock (_lock)
        {
            return _byAge.Select(entry => entry.DataKey).ToArray();
        }
    }

    private byte[]? TryGet(CacheKey key)
    {
        if (!Enabled)
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node.Value.ExpiresAt <= now)
            {
                Remove(node);
                return null;
            }

            return node.Value.DataKey.AsSpan().ToArray();
        }
    }

    private void Add(CacheKey key, ReadOnlySpan<byte> dataKey)
    {
        if (!Enabled)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_entries.ContainsKey(key))
            {
                return;
            }

            // Oldest first: expired entries, then whatever exceeds the bound.
            while (_byAge.First is { } oldest && (oldest.Value.ExpiresAt <= now || _entries.Count >= MaxEntries))
            {
                Remove(oldest);
            }

            var copy = GC.AllocateArray<byte>(dataKey.Length, pinned: true);
            dataKey.CopyTo(copy);
            _entries[key] = _byAge.AddLast(new Entry(key, copy, now + Lifetime));
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        CryptographicOperations.ZeroMemory(node.Value.DataKey);
        _entries.Remove(node.Value.Key);
        _byAge.Remove(node);
    }

    private sealed record Entry(CacheKey Key, byte[] DataKey, DateTimeOffset ExpiresAt);

    /// <summary>The key id plus the full SHA-256 of the wrapped key (as two 128-bit halves).</summary>
    private readonly record struct CacheKey(string KeyId, UInt128 High, UInt128 Low)
    {
        public static CacheKey Create(string keyId, ReadOnlySpan<byte> wrappedKey)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(wrappedKey, hash);
            return new CacheKey(
                keyId,
                System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash[..16]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash[16..]));
        }
    }
}
