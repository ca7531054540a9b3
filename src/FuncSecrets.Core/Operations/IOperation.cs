using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

/// <summary>One Secrets Manager operation: a typed request in, a typed response out.</summary>
public interface IOperation<in TRequest, TResponse>
{
    Task<TResponse> ExecuteAsync(TRequest request, RequestContext context, CancellationToken cancellationToken);
}
