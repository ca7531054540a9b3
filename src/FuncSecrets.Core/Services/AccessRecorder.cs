using System.Collections.Concurrent;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Keeps <c>LastAccessedDate</c> (day precision) on secrets and versions: the first read of a
/// version on a day in this process writes the date; later reads that day write nothing, so
/// the steady-state read stays one storage round trip.
/// </summary>
public sealed class AccessRecorder(OperationDependencies deps)
{
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

        try
        {
            await deps.Store.TouchAsync(record.Name, versionId, today, cancellationToken);
            _recorded[key] = today;
        }
        catch (Errors.AwsException)
        {
            // Best effort: a read must not fail because its access date could not be written.
        }
    }
}
