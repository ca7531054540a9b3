using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;
using FuncSecrets.UnitTests.Operations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.UnitTests.Services;

/// <summary>The one writer: ETag races, the AWSCURRENT copy, creation races (issue 12).</summary>
public sealed class SecretChangeWriterTests : IDisposable
{
    private readonly InMemoryApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task UpdateAsync_AnotherInstanceWritesFirst_RetriesOnAFreshCopyAndKeepsBoth()
    {
        await _api.CreateAsync("raced");

        // A second instance: same storage, its own writer queues, so it does not wait for ours.
        var other = new OperationDependencies(_api.Store, _api.Store, _api.Deps.Cipher, _api.Deps.Options, _api.Time, new AllowAllAuthorizer(), NullLoggerFactory.Instance);
        var attempts = 0;
        var stored = await new SecretChangeWriter(_api.Deps).UpdateAsync(Reference("raced"), InMemoryApi.Context("TagResource"), async (secret, ct) =>
        {
            if (++attempts == 1)
            {
                await new SecretChangeWriter(other).UpdateAsync(Reference("raced"), InMemoryApi.Context("TagResource"), s => s.Tag([new Tag("theirs", "1")]), ct);
            }

            secret.Tag([new Tag("ours", "1")]);
        }, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Equal([new Tag("theirs", "1"), new Tag("ours", "1")], stored.Tags);
        Assert.Equal(stored.Tags, (await _api.Store.GetAsync("raced", default))!.Tags);
    }

    [Fact]
    public async Task UpdateAsync_NothingChanged_WritesNothing()
    {
        await _api.CreateAsync("quiet");
        var before = (await _api.Store.GetAsync("quiet", default))!.ETag;

        await new SecretChangeWriter(_api.Deps).UpdateAsync(Reference("quiet"), InMemoryApi.Context("RestoreSecret"), secret => secret.Restore(), CancellationToken.None);

        Assert.Equal(before, (await _api.Store.GetAsync("quiet", default))!.ETag);
    }

    [Fact]
    public async Task UpdateAsync_CurrentMovesToAStoredVersion_CopiesThatVersionsSealedValue()
    {
        var v1 = InMemoryApi.Token();
        var v2 = InMemoryApi.Token();
        await _api.CreateAsync(new CreateSecretRequest { Name = "copy", SecretString = "one", ClientRequestToken = v1 });
        await _api.PutAsync(new PutSecretValueRequest { SecretId = "copy", SecretString = "two", ClientRequestToken = v2, VersionStages = ["blue"] });

        await new SecretChangeWriter(_api.Deps).UpdateAsync(
            Reference("copy"), InMemoryApi.Context("UpdateSecretVersionStage"), secret => secret.MoveLabel(StagingLabels.Current, v1, v2, _api.Deps.Now()), CancellationToken.None);

        var stored = (await _api.Store.GetAsync("copy", default))!;
        var row = (await _api.Store.GetVersionAsync("copy", v2, default))!;
        Assert.Equal(v2, stored.CurrentVersionId);
        Assert.Equal(row.Value!.Ciphertext, stored.CurrentValue!.Ciphertext);
    }

    [Fact]
    public async Task CreateAsync_NameTakenMeanwhile_ReturnsFalse()
    {
        var first = Secret.Create("twice", null, null, null, _api.Deps.Now(), _api.Deps.Options);
        var second = Secret.Create("twice", null, null, null, _api.Deps.Now(), _api.Deps.Options);
        var writer = new SecretChangeWriter(_api.Deps);

        Assert.True(await writer.CreateAsync(first, CancellationToken.None));
        Assert.False(await writer.CreateAsync(second, CancellationToken.None));
    }

    private static SecretLocator.SecretReference Reference(string name) => new(name, null);
}
