using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class ListSecretVersionIdsRequest
{
    public string? SecretId { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
    public bool? IncludeDeprecated { get; init; }
}

public sealed class ListSecretVersionIdsResponse
{
    public List<SecretVersionsListEntry>? Versions { get; init; }
    public string? NextToken { get; init; }
    public string? ARN { get; init; }
    public string? Name { get; init; }
}

public sealed class SecretVersionsListEntry
{
    public string? VersionId { get; init; }
    public List<string>? VersionStages { get; init; }
    public DateTimeOffset? LastAccessedDate { get; init; }
    public DateTimeOffset? CreatedDate { get; init; }
    public List<string>? KmsKeyIds { get; init; }
}

/// <summary>
/// ListSecretVersionIds: the versions of a secret, oldest first (as AWS lists them); deprecated (label-less)
/// versions only with IncludeDeprecated.
/// </summary>
public sealed class ListSecretVersionIdsHandler(OperationDependencies deps) : IOperation<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<ListSecretVersionIdsResponse> ExecuteAsync(ListSecretVersionIdsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var max = SecretListing.PageSize(request.MaxResults, Limits.MaxResultsMax);
        var record = await _access.LoadAsync(reference, context.Operation, context, cancellationToken);
        var start = request.NextToken is null ? 0 : ParseOffset(PageToken.Decode("versions:" + record.Name, request.NextToken));

        var rows = (await deps.Store.ListVersionsAsync(record.Name, cancellationToken)).ToDictionary(v => v.VersionId, StringComparer.Ordinal);
        var all = record.Versions
            .Where(p => request.IncludeDeprecated == true || p.Value.Stages.Count > 0)
            .OrderBy(p => p.Value.CreatedDate)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        var page = all.Skip(start).Take(max).Select(p => new SecretVersionsListEntry
        {
            VersionId = p.Key,
            VersionStages = p.Value.Stages.Count > 0 ? StagingLabels.Sorted(p.Value.Stages) : null,
            CreatedDate = p.Value.CreatedDate,
            LastAccessedDate = rows.TryGetValue(p.Key, out var row) ? row.LastAccessedDate : null,
            KmsKeyIds = [record.KmsKeyId ?? "DefaultEncryptionKey"],
        }).ToList();

        var next = start + page.Count;
        return new ListSecretVersionIdsResponse
        {
            Versions = page,
            NextToken = next < all.Count ? PageToken.Encode("versions:" + record.Name, next.ToString(CultureInfo.InvariantCulture)) : null,
            ARN = record.Arn(deps.Options),
            Name = record.Name,
        };
    }

    private static int ParseOffset(string position) =>
        int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : throw AwsErrors.InvalidNextToken();
}
