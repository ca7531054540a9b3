using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Operations;

/// <summary>
/// The operations over the in-memory store, a local wrapping key and a fake clock: handler tests
/// in milliseconds, no Azurite (issue 12). Azurite tests stay for what only storage can show.
/// </summary>
internal sealed class InMemoryApi : IDisposable
{
    private static readonly string LocalKey = Convert.ToBase64String(Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray());

    private readonly DataKeyCache _cache = new();

    public InMemoryApi()
    {
        var cipher = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey }), _cache);
        Deps = new OperationDependencies(Store, Store, cipher, new ServiceOptions(), Time, new AllowAllAuthorizer(), NullLoggerFactory.Instance);
    }

    public InMemorySecretStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 8, 1, 12, 0, 0, TimeSpan.Zero));

    public OperationDependencies Deps { get; }

    /// <summary>A request context as the front door builds it, carrying the operation's name.</summary>
    public static RequestContext Context(string operation) => new() { RequestId = Guid.NewGuid().ToString(), Operation = operation };

    public void Dispose() => _cache.Dispose();
}
