using System.Text;
using System.Text.Json;
using FuncSecrets.Core.Operations;
using FuncSecrets.Host.Protocol.Json;
using Microsoft.AspNetCore.Http;

namespace FuncSecrets.UnitTests.Protocol;

/// <summary>
/// Answers are written through a buffer each thread keeps (issue 15): the bytes on the wire must be
/// exactly what <see cref="JsonSerializer.SerializeToUtf8Bytes(object?, System.Text.Json.Serialization.Metadata.JsonTypeInfo)"/>
/// made before, with a matching Content-Length, and one answer must leave nothing in the next.
/// </summary>
public sealed class PooledJsonAnswerTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("can't + <b>&amp;</b> \"quoted\" \\ back\nslash ü 😀 \u0001")]
    public async Task WriteAsync_Answer_BytesAndLengthAsSerializeToUtf8Bytes(string value)
    {
        var answer = Answer(value);

        var (body, length) = await WriteAsync(answer);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(answer, ApiJsonContext.Wire.GetSecretValueResponse), body);
        Assert.Equal(body.Length, length);
    }

    [Fact]
    public async Task WriteAsync_LargeAnswerThenSmallOne_SmallOneCarriesNothingOfTheLarge()
    {
        var (large, _) = await WriteAsync(Answer(new string('x', 200_000)));
        var small = Answer("s");

        var (body, length) = await WriteAsync(small);

        Assert.True(large.Length > 200_000);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(small, ApiJsonContext.Wire.GetSecretValueResponse), body);
        Assert.Equal(body.Length, length);
        Assert.DoesNotContain("xxx", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_AnotherContextsOptions_WrittenWithThoseOptions()
    {
        // The default context escapes HTML-sensitive characters; the wire context does not. A
        // writer kept for one must not be used for the other.
        var answer = Answer("<'+'>");
        await WriteAsync(answer);

        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await PooledJsonAnswer.WriteAsync(context.Response, answer, ApiJsonContext.Default.GetSecretValueResponse, CancellationToken.None);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(answer, ApiJsonContext.Default.GetSecretValueResponse), ((MemoryStream)context.Response.Body).ToArray());
    }

    private static GetSecretValueResponse Answer(string value) => new()
    {
        ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        Name = "prod/db",
        VersionId = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
        SecretString = value,
        VersionStages = ["AWSCURRENT"],
        CreatedDate = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private static async Task<(byte[] Body, long? Length)> WriteAsync(GetSecretValueResponse answer)
    {
        var context = new DefaultHttpContext();
        var stream = new MemoryStream();
        context.Response.Body = stream;
        await PooledJsonAnswer.WriteAsync(context.Response, answer, ApiJsonContext.Wire.GetSecretValueResponse, CancellationToken.None);
        return (stream.ToArray(), context.Response.ContentLength);
    }
}
