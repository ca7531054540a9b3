using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Services;

/// <summary>The authorizer used when authentication is switched off in configuration.</summary>
public sealed class AllowAllAuthorizer : IAuthorizer
{
    public void Authorize(AuthorizationRequest request)
    {
    }

    public AwsException? Check(AuthorizationRequest request) => null;
}
