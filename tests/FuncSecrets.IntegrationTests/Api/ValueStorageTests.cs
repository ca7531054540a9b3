using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Api;

/// <summary>
/// What only storage shows through the API: the largest value round-trips across the split binary
/// columns, and a read merges its access date into the rows. The handlers' own logic (create,
/// versions, labels, idempotent tokens) is tested on the in-memory store in
/// <c>UnitTests/Operations/SecretLifecycleTests</c> (issue 12).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ValueStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "life");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task GetSecretValue_MaxSizeBinary_RoundTrips()
    {
        var value = new byte[65536];
        Random.Shared.NextBytes(value);
        await _api.OkAsync("CreateSecret", new { Name = "bin", SecretBinary = Convert.ToBase64String(value), ClientRequestToken = ApiHarness.Token() });

        var got = await _api.OkAsync("GetSecretValue", new { SecretId = "bin" });

        Assert.Equal(value, Convert.FromBase64String((string)got["SecretBinary"]!));
        Assert.Null(got["SecretString"]);
    }

    [Fact]
    public async Task GetSecretValue_SetsLastAccessedDateAtDayPrecision()
    {
        await _api.OkAsync("CreateSecret", new { Name = "accessed", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
        Assert.Null((await _api.OkAsync("DescribeSecret", new { SecretId = "accessed" }))["LastAccessedDate"]);

        await _api.OkAsync("GetSecretValue", new { SecretId = "accessed" });

        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "accessed" });
        var midnight = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(midnight, (long)(decimal)described["LastAccessedDate"]!);
    }
}
