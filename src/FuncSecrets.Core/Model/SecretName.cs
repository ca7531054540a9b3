using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Model;

/// <summary>Secret name rules: 1 to 512 of <c>A-Z a-z 0-9 / _ + = . @ ! -</c>.</summary>
public static class SecretName
{
    public static bool IsValidCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '+' or '=' or '.' or '@' or '!' or '-';

    /// <summary>Throws AWS's errors for a name that breaks the rules.</summary>
    public static void Validate(string name, string member = "name")
    {
        if (name.Length > Limits.NameMaxLength)
        {
            throw AwsErrors.MaxLength(member, Limits.NameMaxLength, name);
        }

        if (name.Length == 0 || !name.All(IsValidCharacter))
        {
            throw AwsErrors.InvalidName();
        }
    }
}
