using FuncSecrets.Core.Auth;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>The canonical-request pieces, checked against botocore's and the JS SDK's rules.</summary>
public sealed class SigV4CanonicalizerTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//foo//", "/foo/")]
    [InlineData("/foo/bar/../..", "/")]
    [InlineData("/./foo", "/foo")]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/a%20b", "/a%2520b")]
    [InlineData("/example%2Fslash", "/example%252Fslash")]
    [InlineData("/~user/-._", "/~user/-._")]
    public void CanonicalUri_RawPath_IsNormalizedAndEncodedAgain(string rawPath, string expected)
    {
        Assert.Equal(expected, SigV4Canonicalizer.CanonicalUri(rawPath));
    }

    [Theory]
    [InlineData("b=2&a=1", "a=1&b=2")]
    [InlineData("a=2&a=10&a=1", "a=1&a=10&a=2")]
    [InlineData("k", "k=")]
    [InlineData("a+b=c%20d", "a%2Bb=c%20d")]
    [InlineData("x=%7e%2a", "x=~%2A")]
    [InlineData("Z=1&a=1", "Z=1&a=1")]
    public void CanonicalQuery_RawQuery_IsDecodedReencodedAndSorted(string rawQuery, string expected)
    {
        Assert.Equal(expected, SigV4Canonicalizer.CanonicalQuery(SigV4Canonicalizer.ParseQuery(rawQuery)));
    }

    [Fact]
    public void CanonicalQuery_PresignedSignature_IsLeftOut()
    {
        var pairs = SigV4Canonicalizer.ParseQuery("X-Amz-Signature=abc&Action=ListSecrets");

        Assert.Equal("Action=ListSecrets", SigV4Canonicalizer.CanonicalQuery(pairs, "X-Amz-Signature"));
    }

    [Fact]
    public void CanonicalHeaderValue_SpacesAndRepeats_AreTrimmedCollapsedAndJoined()
    {
        Assert.Equal("a b c,d", SigV4Canonicalizer.CanonicalHeaderValue(["  a \t b   c ", "d"]));
    }
}
