using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>Resource policy grammar, public-access detection and the AWS errors for both.</summary>
public sealed class PolicyValidatorTests
{
    private const string BobOnly =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},"Action":"secretsmanager:GetSecretValue"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"*"}}}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:PrincipalAccount":"123456789012"}}}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}}""")]
    public void IsPublic_WildcardPrincipalWithoutPinningCondition_ReturnsTrue(string policy)
    {
        Assert.True(PolicyValidator.IsPublic(policy));
    }

    [Theory]
    [InlineData(BobOnly)]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}}""")]
    public void IsPublic_NamedOrPinnedPrincipals_ReturnsFalse(string policy)
    {
        Assert.False(PolicyValidator.IsPublic(policy));
    }

    [Fact]
    public void ValidateForPut_PublicPolicyWithBlockPublicPolicy_ThrowsPublicPolicyException()
    {
        const string policy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*"}}""";

        var error = Assert.Throws<AwsException>(() => PolicyValidator.ValidateForPut(policy, blockPublicPolicy: true));

        Assert.Equal((AwsErrorCodes.PublicPolicy, "You can't attach a resource-based policy that allows broad access to the secret.", 400), (error.Code, error.Message, error.StatusCode));
        PolicyValidator.ValidateForPut(policy, blockPublicPolicy: false);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""")]
    [InlineData("""{"Version":"2019-10-19","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"AllowSomething","Principal":"*","Action":"secretsmanager:*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","NotAction":"x:y"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager::Get","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"secret"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Condition":{"StringEqualz":{"aws:SourceIp":"1.2.3.4"}}}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Principal":"*","Action":"secretsmanager:*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Extra":1}}""")]
    public void Validate_MalformedPolicy_ThrowsInvalidSyntax(string policy)
    {
        var error = Assert.Throws<AwsException>(() => PolicyValidator.Validate(policy));

        Assert.Equal((AwsErrorCodes.MalformedPolicyDocument, "This policy has invalid syntax.", 400), (error.Code, error.Message, error.StatusCode));
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"secretsmanager:*","Resource":"*"}}""", "This resource policy contains an unsupported principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"secretsmanager:*","Resource":"*"}}""", "This resource policy contains an unsupported principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["invalidservice"]},"Action":"secretsmanager:*","Resource":"*"}}""", "This resource policy contains an invalid service principal.")]
    public void Validate_BadPrincipal_ThrowsPrincipalError(string policy, string message)
    {
        var error = Assert.Throws<AwsException>(() => PolicyValidator.Validate(policy));

        Assert.Equal((AwsErrorCodes.MalformedPolicyDocument, message), (error.Code, error.Message));
    }

    [Fact]
    public void Validate_WellFormedPolicyWithEveryElement_DoesNotThrow()
    {
        PolicyValidator.Validate("""
            {"Version":"2012-10-17","Id":"p1","Statement":[{
              "Sid":"All","Effect":"Allow",
              "Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/app","arn:aws:sts::123456789012:assumed-role/app/s1"],"Service":"lambda.amazonaws.com"},
              "Action":["secretsmanager:GetSecretValue","secretsmanager:Describe*"],
              "Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
              "Condition":{"ForAnyValue:StringLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/app*"]},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}]}
            """);
    }

    [Fact]
    public void ValidateResourcePolicy_PublicStatement_FailsWithOneFindingNamingIt()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

        var result = PolicyValidator.ValidateResourcePolicy(policy);

        Assert.False(result.PolicyValidationPassed);
        var finding = Assert.Single(result.ValidationErrors);
        Assert.Equal((PolicyValidator.BroadAccessCheck, "Statement Open allows broad access to the secret."), (finding.CheckName, finding.ErrorMessage));
    }

    [Fact]
    public void ValidateResourcePolicy_NamedPrincipal_Passes()
    {
        var result = PolicyValidator.ValidateResourcePolicy(BobOnly);

        Assert.True(result.PolicyValidationPassed);
        Assert.Empty(result.ValidationErrors);
    }
}
