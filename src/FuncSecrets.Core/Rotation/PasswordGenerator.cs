using System.Security.Cryptography;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Rotation;

/// <summary>The character rules of GetRandomPassword.</summary>
public sealed record PasswordRules(
    int Length = PasswordGenerator.DefaultLength,
    string ExcludeCharacters = "",
    bool ExcludeNumbers = false,
    bool ExcludePunctuation = false,
    bool ExcludeUppercase = false,
    bool ExcludeLowercase = false,
    bool IncludeSpace = false,
    bool RequireEachIncludedType = true);

/// <summary>
/// Random passwords from a cryptographic RNG with GetRandomPassword's rules. Used by the
/// operation and by the built-in rotator.
/// </summary>
public static class PasswordGenerator
{
    public const int DefaultLength = 32;
    public const int MaxLength = 4096;

    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    private const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    /// <summary>The punctuation AWS draws from: every printable ASCII character that is not a letter, digit or space.</summary>
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Generate(PasswordRules rules)
    {
        var classes = new List<char[]>();
        AddClass(classes, Lowercase, !rules.ExcludeLowercase, rules.ExcludeCharacters);
        AddClass(classes, Uppercase, !rules.ExcludeUppercase, rules.ExcludeCharacters);
        AddClass(classes, Digits, !rules.ExcludeNumbers, rules.ExcludeCharacters);
        AddClass(classes, Punctuation, !rules.ExcludePunctuation, rules.ExcludeCharacters);
        AddClass(classes, " ", rules.IncludeSpace, rules.ExcludeCharacters);

        var all = classes.SelectMany(c => c).ToArray();
        if (all.Length == 0)
        {
            throw AwsErrors.InvalidParameter("The password can't be generated because all character types are excluded.");
        }

        if (rules.RequireEachIncludedType && rules.Length < classes.Count)
        {
            throw AwsErrors.InvalidParameter("Password length is too short based on the required types.");
        }

        var password = new char[rules.Length];
        var position = 0;
        if (rules.RequireEachIncludedType)
        {
            foreach (var characterClass in classes)
            {
                password[position++] = characterClass[RandomNumberGenerator.GetInt32(characterClass.Length)];
            }
        }

        while (position < password.Length)
        {
            password[position++] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        // The required characters went first: shuffle so their places are random too.
        RandomNumberGenerator.Shuffle(password.AsSpan());
        return new string(password);
    }

    private static void AddClass(List<char[]> classes, string characters, bool included, string excluded)
    {
        if (!included)
        {
            return;
        }

        var remaining = characters.Where(c => !excluded.Contains(c, StringComparison.Ordinal)).ToArray();
        if (remaining.Length > 0)
        {
            classes.Add(remaining);
        }
    }
}
