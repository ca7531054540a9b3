using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class ValidateResourcePolicyRequest
{
    public string? SecretId { get; init; }
    public string? ResourcePolicy { get; init; }
}

public sealed class ValidateResourcePolicyResponse
{
    public bool? PolicyValidationPassed { get; init; }
    public List<ValidationErrorsEntry>? ValidationErrors { get; init; }
}

public sealed class ValidationErrorsEntry
{
    public string? CheckName { get; init; }
    public string? ErrorMessage { get; init; }
}

/// <summary>
/// ValidateResourcePolicy: a malformed policy is MalformedPolicyDocumentException; a well-formed
/// one answers whether it passes the checks (broad access fails) and why not. With a SecretId
/// the secret must exist and the caller must be allowed to act on it.
/// </summary>
public sealed class ValidateResourcePolicyHandler(OperationDependencies deps) : IOperation<ValidateResourcePolicyRequest, ValidateResourcePolicyResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<ValidateResourcePolicyResponse> ExecuteAsync(ValidateResourcePolicyRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.SecretId is not null)
        {
            _access.Locator.Parse(request.SecretId);
        }

        var policy = Validate.Required(request.ResourcePolicy, "resourcePolicy");
        Validate.Length(policy, "resourcePolicy", 1, Limits.ResourcePolicyMaxLength, showValue: false);
        if (request.SecretId is not null)
        {
            await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        }
        else
        {
            _access.AuthorizeAccount(context.Operation, context);
        }

        var result = PolicyValidator.ValidateResourcePolicy(policy);
        return new ValidateResourcePolicyResponse
        {
            PolicyValidationPassed = result.PolicyValidationPassed,
            ValidationErrors = result.ValidationErrors.Select(e => new ValidationErrorsEntry { CheckName = e.CheckName, ErrorMessage = e.ErrorMessage }).ToList(),
        };
    }
}
