using System.Globalization;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class GetRandomPasswordRequest
{
    public long? PasswordLength { get; init; }
    public string? ExcludeCharacters { get; init; }
    public bool? ExcludeNumbers { get; init; }
    public bool? ExcludePunctuation { get; init; }
    public bool? ExcludeUppercase { get; init; }
    public bool? ExcludeLowercase { get; init; }
    public bool? IncludeSpace { get; init; }
    public bool? RequireEachIncludedType { get; init; }
}

public sealed class GetRandomPasswordResponse
{
    public string? RandomPassword { get; init; }
}

/// <summary>GetRandomPassword: a random password of 1 to 4,096 characters (32 by default).</summary>
public sealed class GetRandomPasswordHandler(OperationDependencies deps) : IOperation<GetRandomPasswordRequest, GetRandomPasswordResponse>
{
    private readonly SecretAccess _access = new(deps);

    public Task<GetRandomPasswordResponse> ExecuteAsync(GetRandomPasswordRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var length = request.PasswordLength ?? PasswordGenerator.DefaultLength;
        if (length < 1)
        {
            throw AwsErrors.ConstraintViolation("passwordLength", "Member must have value greater than or equal to 1", length.ToString(CultureInfo.InvariantCulture));
        }

        if (length > PasswordGenerator.MaxLength)
        {
            throw AwsErrors.ConstraintViolation("passwordLength", "Member must have value less than or equal to 4096", length.ToString(CultureInfo.InvariantCulture));
        }

        Validate.Length(request.ExcludeCharacters, "excludeCharacters", 0, 4096);
        _access.AuthorizeAccount(context.Operation, context);

        var rules = new PasswordRules(
            (int)length,
            request.ExcludeCharacters ?? string.Empty,
            request.ExcludeNumbers == true,
            request.ExcludePunctuation == true,
            request.ExcludeUppercase == true,
            request.ExcludeLowercase == true,
            request.IncludeSpace == true,
            request.RequireEachIncludedType != false);
        return Task.FromResult(new GetRandomPasswordResponse { RandomPassword = PasswordGenerator.Generate(rules) });
    }
}
