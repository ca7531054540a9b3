using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.UnitTests.Services;

/// <summary>Cases from AWS answers recorded in public test snapshots (see AWS's "Find secrets" page).</summary>
public class SecretFilterTests
{
    private static readonly SecretRecord[] Secrets =
    [
        Make("testing1/one-1", "a secret"),
        Make("/testing2/two-1", "an secret"),
        Make("testing3/three-1", "asecret"),
        Make("/testing4/four-1", "thesecret"),
    ];

    private static SecretRecord Make(string name, string description, params Tag[] tags) =>
        new() { Name = name, ArnSuffix = "abcdef", Description = description, CreatedDate = DateTimeOffset.UnixEpoch, Tags = tags.Length > 0 ? [.. tags] : null };

    private static string[] Match(params Filter[] filters)
    {
        var filter = new SecretFilter(filters, "us-east-1");
        return Secrets.Where(filter.Matches).Select(s => s.Name).ToArray();
    }

    private static Filter F(string key, params string[] values) => new() { Key = key, Values = [.. values] };

    [Fact]
    public void Name_Prefix_MatchesStartOnly() =>
        Assert.Equal(["/testing2/two-1", "/testing4/four-1"], Match(F("name", "/")));

    [Fact]
    public void Name_Negated_ExcludesMatches() =>
        Assert.Equal(["testing1/one-1", "testing3/three-1"], Match(F("name", "!/")));

    [Fact]
    public void Name_IsNotSplitIntoWords() => Assert.Empty(Match(F("name", "testing1 one")));

    [Fact]
    public void Description_SingleWordPrefix() =>
        Assert.Equal(["testing1/one-1", "/testing2/two-1", "testing3/three-1"], Match(F("description", "a")));

    [Fact]
    public void Description_EveryWordMustPrefixAWord() =>
        Assert.Equal(["testing1/one-1", "/testing2/two-1"], Match(F("description", "a secret")));

    [Fact]
    public void Description_NegatedNoMatch_KeepsAll() => Assert.Equal(4, Match(F("description", "!c")).Length);

    [Fact]
    public void TwoFilters_AreAnded() => Assert.Empty(Match(F("description", "a"), F("name", "an")));

    [Fact]
    public void Name_IsCaseSensitive() => Assert.Empty(Match(F("name", "Testing1")));

    [Fact]
    public void Description_IsCaseInsensitive() => Assert.Single(Match(F("description", "THESE")));

    [Fact]
    public void UnknownKey_ThrowsValidation()
    {
        var error = Assert.Throws<AwsException>(() => new SecretFilter([F("colour", "x")], "us-east-1"));

        Assert.Equal("ValidationException", error.Code);
    }

    [Fact]
    public void MissingValues_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<AwsException>(() => new SecretFilter([new Filter { Key = "description" }], "us-east-1"));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal("Invalid filter values for key: description", error.Message);
    }

    [Fact]
    public void TagKey_MatchesPrefixOfAnyTag()
    {
        var filter = new SecretFilter([F("tag-key", "env")], "us-east-1");

        Assert.True(filter.Matches(Make("x", "d", new Tag("environment", "prod"))));
        Assert.False(filter.Matches(Make("y", "d", new Tag("owner", "env"))));
        Assert.False(filter.Matches(Make("z", "d")));
    }
}
