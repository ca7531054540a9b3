using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Operations;
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

    public static string Token() => Guid.NewGuid().ToString();

    /// <summary>The AWS error <paramref name="call"/> throws, checked for its code (and message, if given).</summary>
    public static async Task<AwsException> ErrorAsync(Func<Task> call, string code, string? message = null)
    {
        var error = await Assert.ThrowsAsync<AwsException>(call);
        Assert.Equal(code, error.Code);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }

        return error;
    }

    public Task<CreateSecretResponse> CreateAsync(CreateSecretRequest request) => Run(new CreateSecretHandler(Deps), request);

    /// <summary>CreateSecret with a string value and a fresh token.</summary>
    public Task<CreateSecretResponse> CreateAsync(string name, string value = "v") =>
        CreateAsync(new CreateSecretRequest { Name = name, SecretString = value, ClientRequestToken = Token() });

    public Task<PutSecretValueResponse> PutAsync(PutSecretValueRequest request) => Run(new PutSecretValueHandler(Deps), request);

    public Task<GetSecretValueResponse> GetAsync(GetSecretValueRequest request) => Run(new GetSecretValueHandler(Deps, new AccessRecorder(Deps)), request);

    public Task<GetSecretValueResponse> GetAsync(string secretId) => GetAsync(new GetSecretValueRequest { SecretId = secretId });

    public Task<DescribeSecretResponse> DescribeAsync(string secretId) => Run(new DescribeSecretHandler(Deps), new DescribeSecretRequest { SecretId = secretId });

    public Task<UpdateSecretResponse> UpdateAsync(UpdateSecretRequest request) => Run(new UpdateSecretHandler(Deps), request);

    public Task<UpdateSecretVersionStageResponse> MoveLabelAsync(UpdateSecretVersionStageRequest request) => Run(new UpdateSecretVersionStageHandler(Deps), request);

    public Task<ListSecretVersionIdsResponse> ListVersionsAsync(ListSecretVersionIdsRequest request) => Run(new ListSecretVersionIdsHandler(Deps), request);

    public Task<DeleteSecretResponse> DeleteAsync(DeleteSecretRequest request) => Run(new DeleteSecretHandler(Deps), request);

    public Task<RestoreSecretResponse> RestoreAsync(string secretId) => Run(new RestoreSecretHandler(Deps), new RestoreSecretRequest { SecretId = secretId });

    public Task<EmptyResponse> TagAsync(string secretId, params Core.Model.Tag[] tags) => Run(new TagResourceHandler(Deps), new TagResourceRequest { SecretId = secretId, Tags = [.. tags] });

    public Task<EmptyResponse> UntagAsync(string secretId, params string[] keys) => Run(new UntagResourceHandler(Deps), new UntagResourceRequest { SecretId = secretId, TagKeys = [.. keys] });

    /// <summary>Runs one handler as the front door would: the context carries the operation's name (the handler's, without "Handler").</summary>
    public static Task<TResponse> Run<TRequest, TResponse>(IOperation<TRequest, TResponse> handler, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var operation = handler.GetType().Name;
        return handler.ExecuteAsync(request, Context(operation[..^"Handler".Length]), CancellationToken.None);
    }

    public void Dispose() => _cache.Dispose();
}
