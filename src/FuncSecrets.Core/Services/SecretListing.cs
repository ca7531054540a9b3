using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The listing read ListSecrets and BatchGetSecretValue (with filters) share: one filtered,
/// ordered page of secrets' metadata, and AWS's MaxResults rule.
/// </summary>
public sealed class SecretListing(OperationDependencies deps)
{
    /// <summary>
    /// One page of matching secrets after <paramref name="after"/> (a position from
    /// <see cref="SecretOrder.Position"/>), and whether more follow.
    /// </summary>
    public async Task<(List<SecretRecord> Page, bool More)> SelectAsync(SecretFilter filter, SecretOrder order, string? after, int max, bool includeDeleted, CancellationToken cancellationToken)
    {
        var matches = new List<SecretRecord>();
        await foreach (var record in deps.Store.ListAsync(cancellationToken))
        {
            if ((includeDeleted || !record.IsDeleted) && filter.Matches(record) && (after is null || order.IsAfter(record, after)))
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
