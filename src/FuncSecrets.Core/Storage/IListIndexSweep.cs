namespace FuncSecrets.Core.Storage;

/// <summary>
/// A store whose listing index lives apart from the secrets (the Table store: another table, no
/// shared transaction) and can hold rows a crash or a lost confirmation left unsettled. Readers
/// settle the rows they meet; the purge timer also calls <see cref="SweepListIndexAsync"/>, so
/// rows no reader meets are settled too. A store without such an index does not implement it.
/// </summary>
public interface IListIndexSweep
{
    /// <summary>
    /// Settles unconfirmed index rows older than the store's grace (confirms the ones that match
    /// their secret, deletes the others), examining at most <paramref name="maxRows"/> of them.
    /// Idempotent and safe beside live traffic. Returns how many rows it settled.
    /// </summary>
    Task<int> SweepListIndexAsync(int maxRows, CancellationToken cancellationToken);
}
