using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The listing read ListSecrets and BatchGetSecretValue (with filters) share: one filtered,
/// ordered page of secrets' metadata, and AWS's MaxResults rule. No filter, or one <c>name</c>
/// filter without negations, reads the store's listing index (cost follows the page size);
/// other filters scan every secret, as before (docs/listing.md).
/// </summary>
public sealed class SecretListing(OperationDependencies deps)
{
    /// <summary>
    /// One page of matching secrets after <paramref name="after"/> (a position from
    /// <see cref="SecretOrder.ParsePosition"/>), and whether more follow.
    /// </summary>
    public async Task<(List<SecretRecord> Page, bool More)> SelectAsync(SecretFilter filter, SecretOrder order, SecretListPosition? after, int max, bool includeDeleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(order);
        return filter.IsIndexable
            ? await IndexedAsync(filter, order, after, max, includeDeleted, cancellationToken)
            : await ScanAsync(filter, order, after, max, includeDeleted, cancellationToken);
    }

    private async Task<(List<SecretRecord> Page, bool More)> IndexedAsync(SecretFilter filter, SecretOrder order, SecretListPosition? after, int max, bool includeDeleted, CancellationToken cancellationToken)
    {
        var query = new SecretListQuery(order.SortKey, order.Descending, filter.NamePrefixes, includeDeleted, after, max + 1);
        var page = new List<SecretRecord>(max + 1);
        await foreach (var record in deps.Store.ListOrderedAsync(query, cancellationToken))
        {
            // The store already applied all of it; checked again so a store bug cannot widen a listing.
            if ((includeDeleted || !record.IsDeleted) && filter.Matches(record) && (after is null || order.IsAfter(record, after.Value)))
            {
                page.Add(record);
                if (page.Count > max)
                {
                    break;
                }
            }
        }

        var more = page.Count > max;
        if (more)
        {
            page.RemoveAt(max);
        }

        return (page, more);
    }

    private async Task<(List<SecretRecord> Page, bool More)> ScanAsync(SecretFilter filter, SecretOrder order, SecretListPosition? after, int max, bool includeDeleted, CancellationToken cancellationToken)
    {
        var matches = new List<SecretRecord>();
        await foreach (var record in deps.Store.ListAsync(cancellationToken))
        {
            if ((includeDeleted || !record.IsDeleted) && filter.Matches(record) && (after is null || order.IsAfter(record, after.Value)))
            {
                matches.Add(record);
            }
        }

        matches.Sort(order.Compare);
        return (matches.Take(max).ToList(), matches.Count > max);
    }

    /// <summary>MaxResults: 1 to <paramref name="limit"/>, <paramref name="limit"/> when absent.</summary>
    public static int PageSize(int? maxResults, int limit, string member = "maxResults")
    {
        if (maxResults is null)
        {
            return limit;
        }

        if (maxResults < 1)
        {
            throw AwsErrors.ConstraintViolation(member, "Member must have value greater than or equal to 1", maxResults.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (maxResults > limit)
        {
            throw AwsErrors.ConstraintViolation(member, string.Create(CultureInfo.InvariantCulture, $"Member must have value less than or equal to {limit}"), maxResults.Value.ToString(CultureInfo.InvariantCulture));
        }

        return maxResults.Value;
    }
}
