using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Operations;

public sealed class BatchGetSecretValueRequest
{
    public List<string>? SecretIdList { get; init; }
    public List<Filter>? Filters { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed class BatchGetSecretValueResponse
{
    public List<GetSecretValueResponse>? SecretValues { get; init; }
    public string? NextToken { get; init; }
    public List<ApiError>? Errors { get; init; }
}

public sealed class ApiError
{
    public string? SecretId { get; init; }
    public string? ErrorCode { get; init; }
    public string? Message { get; init; }
}

/// <summary>
/// BatchGetSecretValue: the AWSCURRENT values of up to 20 secrets named in SecretIdList, or of
/// the secrets the filters match (paged). A secret that cannot be read (not found, denied,
/// scheduled for deletion, undecryptable) is reported in Errors instead of failing the call.
/// </summary>
public sealed class BatchGetSecretValueHandler(OperationDependencies deps, AccessRecorder accessRecorder) : IOperation<BatchGetSecretValueRequest, BatchGetSecretValueResponse>
{
    private const string TokenScope = "batch";
    private readonly SecretAccess _access = new(deps);
    private readonly SecretListing _listing = new(deps);
    private readonly SecretValueReader _reader = new(deps, accessRecorder);

    public async Task<BatchGetSecretValueResponse> ExecuteAsync(BatchGetSecretValueRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        if ((request.SecretIdList is null) == (request.Filters is null))
        {
            throw AwsErrors.InvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
        }

        if (request.SecretIdList is not null)
        {
            if (request.MaxResults is not null || request.NextToken is not null)
            {
                throw AwsErrors.InvalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
            }

            if (request.SecretIdList.Count is < 1 or > Limits.BatchMaxSecretIds)
            {
                throw AwsErrors.ConstraintViolation("secretIdList", request.SecretIdList.Count < 1
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 20");
            }

            _access.AuthorizeAccount(context.Operation, context);
            return await ByIdAsync(request.SecretIdList, context, cancellationToken);
        }

        return await ByFilterAsync(request, context, cancellationToken);
    }

    private async Task<BatchGetSecretValueResponse> ByIdAsync(List<string> ids, RequestContext context, CancellationToken cancellationToken)
    {
        var values = new List<GetSecretValueResponse>();
        var errors = new List<ApiError>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var record = await _access.LoadAsync(id, "GetSecretValue", context, cancellationToken);
                values.Add(await _reader.ReadAsync(record, null, null, cancellationToken));
            }
            catch (AwsException error) when (error.IsClientFault || error.Code == AwsErrorCodes.DecryptionFailure)
            {
                errors.Add(new ApiError { SecretId = id, ErrorCode = error.Code, Message = error.Message });
            }
        }

        return new BatchGetSecretValueResponse { SecretValues = values, Errors = errors };
    }

    private async Task<BatchGetSecretValueResponse> ByFilterAsync(BatchGetSecretValueRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var max = SecretListing.PageSize(request.MaxResults, Limits.BatchMaxResultsMax);
        var filter = new SecretFilter(request.Filters, deps.Options.Region);
        var order = SecretOrder.Create(null, null);
        SecretListPosition? after = request.NextToken is null ? null : order.ParsePosition(PageToken.Decode(TokenScope + order.Scope, request.NextToken));
        _access.AuthorizeAccount(context.Operation, context);

        // Filters list secrets: AWS's API reference requires secretsmanager:ListSecrets for them,
        // besides GetSecretValue on each secret returned (issue 11).
        _access.AuthorizeAccount("ListSecrets", context);

        var (page, more) = await _listing.SelectAsync(filter, order, after, max, includeDeleted: false, cancellationToken);
        var values = new List<GetSecretValueResponse>();
        var errors = new List<ApiError>();
        foreach (var listed in page)
        {
            try
            {
                // The listing skips the AWSCURRENT copy: read the secret itself for the value.
                var record = await deps.Store.GetAsync(listed.Name, cancellationToken) ?? throw AwsErrors.SecretNotFound();
                _access.Authorize(record, "GetSecretValue", context, listed.Name);
                values.Add(await _reader.ReadAsync(record, null, null, cancellationToken));
            }
            catch (AwsException error) when (error.IsClientFault || error.Code == AwsErrorCodes.DecryptionFailure)
            {
                errors.Add(new ApiError { SecretId = listed.Name, ErrorCode = error.Code, Message = error.Message });
            }
        }

        return new BatchGetSecretValueResponse
        {
            SecretValues = values,
            Errors = errors,
            NextToken = more ? PageToken.Encode(TokenScope + order.Scope, order.Position(page[^1])) : null,
        };
    }
}
