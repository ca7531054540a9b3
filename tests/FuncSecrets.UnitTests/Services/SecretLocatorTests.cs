using FuncSecrets.Core;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Services;

namespace FuncSecrets.UnitTests.Services;

public class SecretLocatorTests
{
    private const string Prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

    private static SecretLocator Locator() => new(new OperationDependencies(null!, null!, null!, new ServiceOptions(), TimeProvider.System, new AllowAllAuthorizer(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

    [Theory]
    [InlineData("plain", "plain", null)]
    [InlineData("Valid/_+=.@-Name", "Valid/_+=.@-Name", null)]
    [InlineData(Prefix + "app/db-AbC123", "app/db", "AbC123")]
    [InlineData(Prefix + "app/db", "app/db", null)]
    [InlineData(Prefix + "Valid/_+=.@-Name-a1b2", "Valid/_+=.@-Name-a1b2", null)]
    public void Parse_Forms_GiveNameAndSuffix(string secretId, string name, string? suffix)
    {
        var reference = Locator().Parse(secretId);

        Assert.Equal(name, reference.Name);
        Assert.Equal(suffix, reference.Suffix);
    }

    [Fact]
    public void Parse_PartialArnWhoseNameEndsLikeASuffix_IsReadAsFullArn()
    {
        // AWS reads "-a1b2c3" as the random suffix, so such a partial ARN only matches that suffix.
        var reference = Locator().Parse(Prefix + "Invalid/_+=.@-Name-a1b2c3");

        Assert.Equal("Invalid/_+=.@-Name", reference.Name);
        Assert.Equal("a1b2c3", reference.Suffix);
    }

    [Theory]
    [InlineData("Inv Name")]
    [InlineData(" Inv*Name? ")]
    [InlineData("a\\b")]
    public void Parse_InvalidName_ThrowsValidationException(string secretId)
    {
        var error = Assert.Throws<AwsException>(() => Locator().Parse(secretId));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!", error.Message);
    }

    [Fact]
    public void Parse_ArnOfAnotherAccount_ThrowsNotFound()
    {
        var error = Assert.Throws<AwsException>(() => Locator().Parse("arn:aws:secretsmanager:us-east-1:999999999999:secret:x-AbC123"));

        Assert.Equal("ResourceNotFoundException", error.Code);
    }

    [Fact]
    public void Parse_Missing_ThrowsCoralNullMessage()
    {
        var error = Assert.Throws<AwsException>(() => Locator().Parse(null));

        Assert.Equal("1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null", error.Message);
    }
}
