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

    // moto's AWS-verified test_with_all_filter: names, descriptions and tags are all searched.
    private static readonly SecretRecord[] Mixed =
    [
        new() { Name = "SecretOne" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch },
        new() { Name = "SecretTwo" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch, Description = "DescTwo" },
        new() { Name = "Thirdsecret" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch },
        new() { Name = "SecretFTag" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch, Tags = [new Tag("1", "foo")] },
        new() { Name = "SecretFValue" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch, Tags = [new Tag("foo", "v")] },
        new() { Name = "none" + Unique, ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch },
    ];

    [Theory]
    [InlineData("SecretOne", "SecretOne")]
    [InlineData("foo", "SecretFTag,SecretFValue")]
    [InlineData("Secret", "SecretOne,SecretTwo,SecretFTag,SecretFValue")]
    [InlineData("secret", "SecretOne,SecretTwo,SecretFTag,SecretFValue")]
    [InlineData("sec", "SecretOne,SecretTwo,SecretFTag,SecretFValue")]
    [InlineData("ret", "")]
    [InlineData("SomeSecret", "")]
    [InlineData("d", "SecretTwo")]
    [InlineData("d t", "SecretTwo")]
    [InlineData("t", "SecretTwo,Thirdsecret,SecretFTag")]
    public void AllFilter_MotoAwsVerifiedCases_MatchAsAws(string value, string expected)
    {
        var filter = new SecretFilter([new Filter { Key = "all", Values = [value] }], "us-east-1");
        var names = Mixed.Where(filter.Matches).Select(s => s.Name[..^Unique.Length]);
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), names);
    }
}
