using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

public class PasswordGeneratorTests
{
    [Fact]
    public void Generate_Defaults_Has32CharsOfEveryType()
    {
        for (var i = 0; i < 50; i++)
        {
            var password = PasswordGenerator.Generate(new PasswordRules());

            Assert.Equal(32, password.Length);
            Assert.Contains(password, char.IsAsciiLetterLower);
            Assert.Contains(password, char.IsAsciiLetterUpper);
            Assert.Contains(password, char.IsAsciiDigit);
            Assert.Contains(password, c => "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Contains(c));
            Assert.DoesNotContain(' ', password);
        }
    }

    [Fact]
    public void Generate_Exclusions_AreHonoured()
    {
        var password = PasswordGenerator.Generate(new PasswordRules(Length: 120, ExcludeCharacters: "xyzDje@?!.", ExcludePunctuation: false));

        Assert.Equal(120, password.Length);
        Assert.DoesNotContain(password, c => "xyzDje@?!.".Contains(c));
    }

    [Fact]
    public void Generate_OnlyDigits_ReturnsDigits()
    {
        var password = PasswordGenerator.Generate(new PasswordRules(Length: 64, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true));

        Assert.All(password, c => Assert.True(char.IsAsciiDigit(c)));
    }

    [Fact]
    public void Generate_IncludeSpaceAndRequireEach_ContainsSpace()
    {
        var password = PasswordGenerator.Generate(new PasswordRules(Length: 5, IncludeSpace: true));

        Assert.Contains(' ', password);
    }

    [Fact]
    public void Generate_TooShortForRequiredTypes_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<AwsException>(() => PasswordGenerator.Generate(new PasswordRules(Length: 3)));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal("Password length is too short based on the required types.", error.Message);
    }

    [Fact]
    public void Generate_EverythingExcluded_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<AwsException>(() => PasswordGenerator.Generate(new PasswordRules(ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true)));

        Assert.Equal("InvalidParameterException", error.Code);
    }
}
