using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class TagResourceRequest
{
    public string? SecretId { get; init; }
    public List<Tag>? Tags { get; init; }
}

/// <summary>An operation whose response has no members.</summary>
public sealed class EmptyResponse
{
    public static EmptyResponse Instance { get; } = new();
}

/// <summary>TagResource: adds tags, replacing the value of a key that is already there.</summary>
public sealed class TagResourceHandler(OperationDependencies deps) : IOperation<TagResourceRequest, EmptyResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<EmptyResponse> ExecuteAsync(TagResourceRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var tags = request.Tags ?? throw AwsErrors.MissingMember("tags");
        Validate.Tags(tags);

        await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.Tag(tags), cancellationToken);

        return EmptyResponse.Instance;
    }
}
