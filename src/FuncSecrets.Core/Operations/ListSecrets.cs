using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class ListSecretsRequest
{
    public bool? IncludePlannedDeletion { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
    public List<Filter>? Filters { get; init; }
    public string? SortOrder { get; init; }
    public string? SortBy { get; init; }
}

public sealed class ListSecretsResponse
{
    public List<SecretListEntry>? SecretList { get; init; }
    public string? NextToken { get; init; }
}

public sealed class SecretListEntry : SecretDescription
{
    public Dictionary<string, List<string>>? SecretVersionsToStages { get; set; }

    public static SecretListEntry From(SecretRecord record, ServiceOptions options)
    {
        var entry = new SecretListEntry { SecretVersionsToStages = StagesMap(record) };
        entry.Fill(record, options);
        return entry;
    }
}

/// <summary>
/// ListSecrets: the secrets that match the filters, ordered by SortBy (CreatedDate by default)
/// with the name breaking ties, in pages whose NextToken holds the last position returned, so
/// that paging never skips or repeats a secret.
/// </summary>
public sealed class ListSecretsHandler(OperationDependencies deps) : IOperation<ListSecretsRequest, ListSecretsResponse>
{
    private const string TokenScope = "list";
    private readonly SecretAccess _access = new(deps);

    public async Task<ListSecretsResponse> ExecuteAsync(ListSecretsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var max = PageSize(request.MaxResults, Limits.MaxResultsMax);
        var filter = new SecretFilter(request.Filters, deps.Options.Region);
        var order = SecretOrder.Create(request.SortBy, request.SortOrder);
        var after = request.NextToken is null ? null : PageToken.Decode(TokenScope + order.Scope, request.NextToken);
        _access.AuthorizeAccount("ListSecrets", context);

        var (page, more) = await SelectAsync(filter, order, after, max, request.IncludePlannedDeletion == true, cancellationToken);
        return new ListSecretsResponse
        {
            SecretList = page.Select(r => SecretListEntry.From(r, deps.Options)).ToList(),
            NextToken = more ? PageToken.Encode(TokenScope + order.Scope, order.Position(page[^1])) : null,
        };
    }

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
