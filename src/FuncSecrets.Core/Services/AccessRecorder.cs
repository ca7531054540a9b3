using System.Collections.Concurrent;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Keeps <c>LastAccessedDate</c> (day precision) on secrets and versions: the first read of a
/// version on a day in this process writes the date; later reads that day write nothing, so
/// the steady-state read stays one storage round trip. A read waits for that write only
/// briefly (<see cref="MaxWait"/>; it normally takes a few milliseconds, so a describe right
/// after a read sees the date), never fails because of it, and never waits on slow storage.
/// </summary>
public sealed class AccessRecorder(OperationDependencies deps)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<(string Name, string VersionId), DateTimeOffset> _recorded = new();

    public async Task RecordAsync(SecretRecord record, string versionId, CancellationToken cancellationToken)
    {
        var today = deps.Today();
        var key = (record.Name, versionId);
        if (_recorded.TryGetValue(key, out var day) && day == today)
        {
            return;
        }

        if (_recorded.Count > 100_000)
        {
            _recorded.Clear();
        }

        // Marked first so concurrent reads of the same version do not all write; undone on failure.
        _recorded[key] = today;
        var touch = TouchAsync(record.Name, versionId, today, key);
        await Task.WhenAny(touch, Task.Delay(MaxWait, cancellationToken));
    }

    private async Task TouchAsync(string name, string versionId, DateTimeOffset today, (string, string) key)
    {
        try
        {
            // Not the request's token: the caller may be gone before this write is done.
            await deps.Store.TouchAsync(name, versionId, today, CancellationToken.None);
        }
#pragma warning disable CA1031 // Any failure of a best-effort write is dropped: the read already succeeded.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Best effort: try again on a later read.
            _recorded.TryRemove(key, out _);
        }
    }
}
