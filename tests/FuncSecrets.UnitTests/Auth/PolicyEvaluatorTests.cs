using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>IAM-style decisions: identity policy, resource policy, explicit deny, conditions.</summary>
public sealed class PolicyEvaluatorTests
{
    private const string SecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    private const string OtherSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-XyZ123";
    private const string BobKeyId = "AKIABOBEXAMPLE000001";
    private const string BobArn = "arn:aws:iam::123456789012:user/bob";

    [Fact]
    public void Check_NoPolicyConfigured_AllowsEverySecretsManagerAction()
    {
        var evaluator = Evaluator(policy: null);

        Assert.Null(evaluator.Check(Ask("secretsmanager:DeleteSecret")));
    }

    [Theory]
    [InlineData("secretsmanager:GetSecretValue", true)]
    [InlineData("secretsmanager:getsecretvalue", true)]
    [InlineData("secretsmanager:GetResourcePolicy", true)]
    [InlineData("secretsmanager:PutSecretValue", false)]
    public void Check_WildcardAction_MatchesCaseInsensitively(string action, bool allowed)
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:Get*\"", "\"*\""));

        Assert.Equal(allowed, evaluator.Check(Ask(action)) is null);
    }

    [Fact]
    public void Check_QuestionMarkWildcard_MatchesOneCharacter()
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:*\"", "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????\""));

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", resource: SecretArn + "x")));
    }

    [Fact]
    public void Check_NotAction_AllowsEverythingElse()
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":["secretsmanager:Delete*","secretsmanager:PutResourcePolicy"],"Resource":"*"}}""");

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:DeleteSecret")));
    }

    [Fact]
    public void Check_ResourceWildcard_CoversOnlyMatchingSecrets()
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:GetSecretValue\"", "\"arn:aws:secretsmanager:*:123456789012:secret:prod/*\""));

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", resource: OtherSecretArn)));
    }

    [Fact]
    public void Check_NothingAllows_ReturnsAwsImplicitDenyMessage()
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:ListSecrets\"", "\"*\""));

        var error = evaluator.Check(Ask("secretsmanager:GetSecretValue"))!;

        Assert.Equal(
            (AwsErrorCodes.AccessDenied, 400, $"User: {AliceArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: {SecretArn} because no identity-based policy allows the secretsmanager:GetSecretValue action"),
            (error.Code, error.StatusCode, error.Message));
    }

    [Fact]
    public void Check_AccountLevelActionDenied_LeavesResourceOutOfMessage()
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:GetSecretValue\"", "\"*\""));

        var error = evaluator.Check(Ask("secretsmanager:ListSecrets", resource: "*"))!;

        Assert.Equal($"User: {AliceArn} is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action", error.Message);
    }

    [Fact]
    public void Check_ExplicitDenyOverAllow_ReturnsIdentityDenyMessage()
    {
        var evaluator = Evaluator("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"},
              {"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:prod/*"}]}
            """);

        var error = evaluator.Check(Ask("secretsmanager:GetSecretValue"))!;

        Assert.Equal($"User: {AliceArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: {SecretArn} with an explicit deny in an identity-based policy", error.Message);
    }

    [Fact]
    public void Check_ResourcePolicyDeny_OverridesIdentityAllow()
    {
        var evaluator = Evaluator(policy: null);
        var resourcePolicy = $$$"""{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"{{{AliceArn}}}"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}""";

        var error = evaluator.Check(Ask("secretsmanager:GetSecretValue", resourcePolicy: resourcePolicy))!;

        Assert.Equal($"User: {AliceArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: {SecretArn} with an explicit deny in a resource-based policy", error.Message);
    }

    [Fact]
    public void Check_ResourcePolicyGrantsSecondPrincipal_AllowsOnlyThatPrincipal()
    {
        var keys = Keys(
            Key(AliceKeyId, AliceSecret, AliceArn, policy: Allow("\"secretsmanager:ListSecrets\"", "\"*\"")),
            Key(BobKeyId, "bob-secret", BobArn, policy: Allow("\"secretsmanager:ListSecrets\"", "\"*\"")));
        var evaluator = new PolicyEvaluator(keys);
        var resourcePolicy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Bob","Effect":"Allow","Principal":{"AWS":["{{BobArn}}"]},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue", resourcePolicy: resourcePolicy, caller: new CallerIdentity(BobKeyId, BobArn))));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", resourcePolicy: resourcePolicy)));
    }

    [Fact]
    public void Check_ResourcePolicyNamingAccount_DoesNotGrantUsersOnItsOwn()
    {
        var evaluator = Evaluator(Allow("\"secretsmanager:ListSecrets\"", "\"*\""));
        var resourcePolicy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"secretsmanager:*","Resource":"*"}}""";

        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", resourcePolicy: resourcePolicy)));
    }

    [Fact]
    public void Check_ResourcePolicyDenyNamingAccount_DeniesItsUsers()
    {
        var evaluator = Evaluator(policy: null);
        var resourcePolicy = """{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:DeleteSecret","Resource":"*"}}""";

        Assert.Equal(AwsErrorCodes.AccessDenied, evaluator.Check(Ask("secretsmanager:DeleteSecret", resourcePolicy: resourcePolicy))!.Code);
    }

    [Theory]
    [InlineData("payments", true)]
    [InlineData("marketing", false)]
    public void Check_ResourceTagCondition_AllowsOnlyTaggedSecrets(string team, bool allowed)
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/team":"payments"}}}}""");

        Assert.Equal(allowed, evaluator.Check(Ask("secretsmanager:GetSecretValue", tags: [new Tag("team", team)])) is null);
    }

    [Fact]
    public void Check_TagConditionWithoutTags_Denies()
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"payments"}}}}""");

        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("192.0.2.7", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData(null, false)]
    public void Check_SourceIpCondition_AllowsOnlyListedNetworks(string? sourceIp, bool allowed)
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.7"]}}}}""");

        Assert.Equal(allowed, evaluator.Check(Ask("secretsmanager:GetSecretValue", sourceIp: sourceIp)) is null);
    }

    [Fact]
    public void Check_DenyUnlessFromNetwork_DeniesOtherAddresses()
    {
        var evaluator = Evaluator("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"},
              {"Effect":"Deny","Action":"secretsmanager:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}
            """);

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue", sourceIp: "10.9.9.9")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", sourceIp: "8.8.8.8")));
    }

    [Fact]
    public void Check_IfExistsOnMissingKey_IsSatisfied()
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:ResourceTag/team":"payments"}}}}""");

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", tags: [new Tag("team", "other")])));
    }

    [Fact]
    public void Check_PrincipalArnAndSecretIdConditions_AreEvaluated()
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/ali*","secretsmanager:SecretId":"*:secret:prod/*"}}}}""");

        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", resource: OtherSecretArn)));
    }

    [Fact]
    public void Check_NullCondition_TestsKeyPresence()
    {
        var evaluator = Evaluator("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*","Condition":{"Null":{"aws:ResourceTag/owner":"true"}}}}""");

        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue", tags: [new Tag("owner", "alice")])));
        Assert.Null(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
    }

    [Fact]
    public void Check_UnevaluatedOperatorInDeny_FailsClosed()
    {
        var evaluator = Evaluator("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"},
              {"Effect":"Deny","Action":"secretsmanager:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}
            """);

        Assert.NotNull(evaluator.Check(Ask("secretsmanager:GetSecretValue")));
    }

    [Fact]
    public void Check_NoCaller_AllowsBecauseAuthenticationIsOff()
    {
        Assert.Null(Evaluator(Allow("\"secretsmanager:ListSecrets\"", "\"*\"")).Check(Ask("secretsmanager:DeleteSecret") with { Caller = null }));
    }

    [Fact]
    public void Authorize_Denied_ThrowsTheDenial()
    {
        var error = Assert.Throws<AwsException>(() => Evaluator(Allow("\"secretsmanager:ListSecrets\"", "\"*\"")).Authorize(Ask("secretsmanager:DeleteSecret")));

        Assert.Equal(AwsErrorCodes.AccessDenied, error.Code);
    }

    private static PolicyEvaluator Evaluator(string? policy) => new(Keys(Key(AliceKeyId, AliceSecret, AliceArn, policy: policy)));

    private static string Allow(string actions, string resources) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":{{resources}}}]}""";

    private static AuthorizationRequest Ask(
        string action,
        string resource = SecretArn,
        string? resourcePolicy = null,
        IReadOnlyList<Tag>? tags = null,
        string? sourceIp = null,
        CallerIdentity? caller = null) =>
        new(caller ?? new CallerIdentity(AliceKeyId, AliceArn), action, resource, resourcePolicy, tags, sourceIp);
}
