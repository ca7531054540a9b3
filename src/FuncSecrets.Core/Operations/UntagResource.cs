using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class UntagResourceRequest
{
    public string? SecretId { get; init; }
    public List<string>? TagKeys { get; init; }
}

/// <summary>UntagResource: removes tags by key; after the last one <c>Tags</c> is an empty list.</summary>
public sealed class UntagResourceHandler(OperationDependencies deps) : IOperation<UntagResourceRequest, EmptyResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<EmptyResponse> ExecuteAsync(UntagResourceRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var keys = request.TagKeys ?? throw AwsErrors.MissingMember("tagKeys");
        foreach (var key in keys)
        {
            Validate.Length(Validate.Required(key, "tagKeys.member"), "tagKeys.member", 1, Model.Limits.TagKeyMaxLength);
        }

        await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.Untag(keys), cancellationToken);

        return EmptyResponse.Instance;
    }
}
