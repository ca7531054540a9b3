using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol.Query;
using Microsoft.AspNetCore.Http;

namespace FuncSecrets.UnitTests.Query;

/// <summary>Reading Query parameters off the URL and a form body, and recognising a Query request.</summary>
public sealed class QueryParametersTests
{
    [Fact]
    public void ParseUrlEncoded_EdgeCases_KeepEveryPairInOrder()
    {
        var pairs = QueryParameters.ParseUrlEncoded("?a=1&b=&c&=d&&e=x=y").ToList();

        Assert.Equal([new("a", "1"), new("b", ""), new("c", ""), new("", "d"), new("e", "x=y")], pairs);
    }

    [Fact]
    public void ParseUrlEncoded_PercentAndPlus_DecodeAsUtf8AndSpace()
    {
        var pair = Assert.Single(QueryParameters.ParseUrlEncoded("N%61me=%C3%A9+%F0%9F%98%80%2B%26"));

        Assert.Equal(new("Name", "é 😀+&"), pair);
    }

    [Fact]
    public void ParseUrlEncoded_PercentBytesNotUtf8_BecomeReplacementCharacters()
    {
        var pair = Assert.Single(QueryParameters.ParseUrlEncoded("v=%FF%ED%A0%80"));

        Assert.DoesNotContain(pair.Value, c => char.IsSurrogate(c));
        Assert.Contains('\uFFFD', pair.Value);
    }

    [Fact]
    public void From_QueryAndFormBody_AreBothRead()
    {
        var parameters = QueryParameters.From("?Action=GetSecretValue", "Version=2017-10-17&SecretId=a"u8);

        Assert.Equal(("GetSecretValue", "2017-10-17", "a"), (parameters.Single("Action"), parameters.Single("Version"), parameters.Single("SecretId")));
    }

    [Fact]
    public void From_BodyNotUtf8_ReturnsInvalidQueryParameter()
    {
        var error = Assert.Throws<AwsException>(() => QueryParameters.From(string.Empty, new byte[] { (byte)'a', (byte)'=', 0xFF }));

        Assert.Equal(("InvalidQueryParameter", "The form-encoded request body is not valid UTF-8."), (error.Code, error.Message));
    }

    [Fact]
    public void Single_NameInQueryAndBody_IsRefusedAsRepeated()
    {
        var parameters = QueryParameters.From("Action=ListSecrets", "Action=DeleteSecret"u8);

        var error = Assert.Throws<AwsException>(() => parameters.Single("Action"));

        Assert.Equal(("InvalidQueryParameter", "The parameter Action appears more than once."), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("GET", "?Action=ListSecrets", null, null, true)]
    [InlineData("POST", "?Action=ListSecrets", null, null, true)]
    [InlineData("POST", "", "application/x-www-form-urlencoded; charset=utf-8", null, true)]
    [InlineData("POST", "", "Application/X-WWW-Form-URLEncoded", null, true)]
    [InlineData("POST", "", "application/x-amz-json-1.1", null, false)]
    [InlineData("POST", "", "multipart/form-data; boundary=x", null, false)]
    [InlineData("GET", "", null, null, false)]
    [InlineData("PUT", "?Action=ListSecrets", null, null, false)]
    [InlineData("POST", "?Action=ListSecrets", "application/x-www-form-urlencoded", "secretsmanager.ListSecrets", false)]
    public void Accepts_Request_RoutesOnlyQueryRequests(string method, string query, string? contentType, string? target, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Request.ContentType = contentType;
        if (target is not null)
        {
            context.Request.Headers["X-Amz-Target"] = target;
        }

        Assert.Equal(expected, QueryFrontDoor.Accepts(context.Request));
    }
}
