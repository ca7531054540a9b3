using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.UnitTests.Services;

/// <summary>
/// Issue 11 item 13: the <c>all</c> filter splits names into words the way AWS does. Cases from
/// moto's AWS-verified test_with_all_filter_special_characters (tests/test_secretsmanager/test_list_secrets.py).
/// </summary>
public class SecretFilterAllWordsTests
{
    private const string Unique = "a1b2c3";

    private static readonly string[] SpecialCharacterNames =
    [
        $"prod/AppBeta/{Unique}", $"prod_AppBeta_{Unique}", $"prod+AppBeta+{Unique}", $"prod=AppBeta={Unique}",
        $"prod.AppBeta.{Unique}", $"prod@AppBeta@{Unique}", $"prod-AppBeta-{Unique}",
    ];

    private const string FullUppercase = $"uat/COMPANY/{Unique}";
    private const string PartialUppercase = $"uat/COMPANYthings/{Unique}";

    private static string[] All(params string[] values)
    {
        var filter = new SecretFilter([new Filter { Key = "all", Values = [.. values] }], "us-east-1");
        return SpecialCharacterNames.Append(FullUppercase).Append(PartialUppercase)
            .Select(name => new SecretRecord { Name = name, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch })
            .Where(filter.Matches)
            .Select(s => s.Name)
            .ToArray();
    }

    [Theory]
    [InlineData("AppBeta")]
    [InlineData("Beta")]
    public void AllFilter_CamelCaseWord_MatchesEverySeparator(string value) => Assert.Equal(SpecialCharacterNames, All(value));

    [Fact]
    public void AllFilter_TwoValues_MatchEither() => Assert.Equal(SpecialCharacterNames, All("AppBeta", "prod"));

    [Fact]
    public void AllFilter_OnlySeparator_MatchesNothing() => Assert.Empty(All("+"));

    [Fact]
    public void AllFilter_UniqueSuffix_MatchesAll() => Assert.Equal([.. SpecialCharacterNames, FullUppercase, PartialUppercase], All(Unique));

    [Fact]
    public void AllFilter_LowercaseOfCapitalRun_MatchesOnlyWholeRun() => Assert.Equal([FullUppercase], All("company"));

    [Theory]
    [InlineData("things")]
    [InlineData("N")]
    [InlineData("pany")]
    public void AllFilter_NotAWordStart_MatchesNothing(string value) => Assert.Empty(All(value));

    [Fact]
    public void AllFilter_LastCapitalOfRun_StartsWord() => Assert.Equal([PartialUppercase], All("Ythings"));
}
