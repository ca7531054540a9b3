using System.Diagnostics;
using System.Net;
using FuncSecrets.Core.Auth.Policy;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>IAM pattern, ARN and CIDR matching.</summary>
public sealed class WildcardTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a*b*c", "a-b-b-c", true)]
    [InlineData("a*b*c", "a-c-b", false)]
    [InlineData("Get*", "getSecretValue", false)]
    public void IsMatch_CaseSensitive_FollowsGlobRules(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, Wildcard.IsMatch(pattern, value, ignoreCase: false));
    }

    [Fact]
    public void IsMatch_PathologicalPattern_StaysFast()
    {
        var value = new string('a', 20_000);
        var clock = Stopwatch.StartNew();

        Assert.False(Wildcard.IsMatch("*a*a*a*a*a*a*b", value, ignoreCase: false));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:*:*:secret:prod/*", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", true)]
    [InlineData("arn:aws:secretsmanager:*:*:secret:prod/*", "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf", false)]
    [InlineData("arn:aws:secretsmanager:us-east-1:*:secret:*", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf", false)]
    [InlineData("arn:aws:secretsmanager:*", "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:A*", "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf", false)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:*", "*", false)]
    public void ArnMatch_PatternAgainstArn_MatchesPartByPart(string pattern, string arn, bool expected)
    {
        Assert.Equal(expected, Wildcard.ArnMatch(pattern, arn));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.0.1", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.0/25", "192.0.2.200", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "10.0.0.1", false)]
    [InlineData("10.0.0.0/33", "10.0.0.1", false)]
    public void InCidr_AddressAgainstBlock_ComparesNetworkBits(string cidr, string address, bool expected)
    {
        Assert.Equal(expected, Wildcard.InCidr(cidr, IPAddress.Parse(address)));
    }
}
