using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Issue 11 item 7, the part the app answers: a HEAD response can carry no body (RFC 9110), so
/// its AWS error shape is the status with <c>x-amzn-ErrorType</c> and <c>x-amzn-RequestId</c>,
/// which botocore reads when the body is empty. Kestrel's own rejections (431, 414 past
/// 64 KiB, NUL in a header) happen before the app runs and are documented in the README.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HeadRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "head");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("/", "secretsmanager.GetSecretValue")]
    [InlineData("/?Action=ListSecrets&Version=2017-10-17", null)]
    [InlineData("/other", null)]
    public async Task Head_OperationRequest_AnswersErrorHeadersWithoutBody_Issue11(string target, string? amzTarget)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, target);
        if (amzTarget is not null)
        {
            request.Headers.Add("X-Amz-Target", amzTarget);
        }

        using var response = await _api.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(response.Headers.TryGetValues("x-amzn-ErrorType", out var types), "no x-amzn-ErrorType");
        Assert.False(string.IsNullOrEmpty(types!.Single()));
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
