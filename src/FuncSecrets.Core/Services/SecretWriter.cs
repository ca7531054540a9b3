using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The one way a handler changes an existing secret: read, change a copy, write it back
/// conditional on the ETag, and on a lost race read again and retry (bounded). Writers of one
/// secret in this process queue on a striped lock first, so ETag races only happen between
/// instances.
/// </summary>
public sealed class SecretWriter(OperationDependencies deps)
{
    private const int MaxAttempts = 25;
    private static readonly SemaphoreSlim[] Stripes = CreateStripes(512);
    private readonly SecretAccess _access = new(deps);

    /// <summary>
    /// Checks the caller may perform <paramref name="action"/>, then applies
    /// <paramref name="change"/> to a fresh copy of the secret until the write sticks.
    /// <paramref name="change"/> may throw an <see cref="AwsException"/> to refuse; it returns the
    /// rows to add and remove with the new metadata, or null to write nothing.
    /// </summary>
    public async Task<SecretRecord> UpdateAsync(
        SecretLocator.SecretReference reference,
        string action,
        RequestContext context,
        Func<SecretRecord, CancellationToken, ValueTask<SecretChange?>> change,
        CancellationToken cancellationToken)
    {
        var stripe = Stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(reference.Name) % (uint)Stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = await _access.Locator.FindAsync(reference, cancellationToken);
                if (current is null)
                {
                    _access.AuthorizeMissing(reference.Name, action, context);
                    throw AwsErrors.SecretNotFound();
                }

                _access.Authorize(current, action, context);
                var copy = current.Clone();
                var result = await change(copy, cancellationToken);
                if (result is null)
                {
                    return current;
                }

                if (await deps.Store.TryUpdateAsync(copy, result.Added, result.Removed, cancellationToken))
                {
                    return copy;
                }

                if (attempt == MaxAttempts)
                {
                    // Another instance kept winning: a server-side condition, not the caller's fault.
                    throw AwsErrors.ServiceUnavailable();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), deps.Time, cancellationToken);
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    private static SemaphoreSlim[] CreateStripes(int count)
    {
        var stripes = new SemaphoreSlim[count];
        for (var i = 0; i < count; i++)
        {
            stripes[i] = new SemaphoreSlim(1, 1);
        }

        return stripes;
    }
}

/// <summary>The rows a change adds and removes besides the metadata row.</summary>
public sealed record SecretChange(IReadOnlyList<StoredVersion> Added, IReadOnlyList<string> Removed)
{
    public static SecretChange MetadataOnly { get; } = new([], []);
}
