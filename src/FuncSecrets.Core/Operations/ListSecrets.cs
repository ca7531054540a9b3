using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;

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
    private readonly SecretListing _listing = new(deps);

    public async Task<ListSecretsResponse> ExecuteAsync(ListSecretsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var max = SecretListing.PageSize(request.MaxResults, Limits.MaxResultsMax);
        var filter = new SecretFilter(request.Filters, deps.Options.Region);
        var order = SecretOrder.Create(request.SortBy, request.SortOrder);
        SecretListPosition? after = request.NextToken is null ? null : order.ParsePosition(PageToken.Decode(TokenScope + order.Scope, request.NextToken));
        _access.AuthorizeAccount(context.Operation, context);

        var (page, more) = await _listing.SelectAsync(filter, order, after, max, request.IncludePlannedDeletion == true, cancellationToken);
        return new ListSecretsResponse
        {
            SecretList = page.Select(r => SecretListEntry.From(r, deps.Options)).ToList(),
            NextToken = more ? PageToken.Encode(TokenScope + order.Scope, order.Position(page[^1])) : null,
        };
    }
}
