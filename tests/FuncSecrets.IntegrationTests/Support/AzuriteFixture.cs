using FuncSecrets.TestSupport.Azurite;

namespace FuncSecrets.IntegrationTests.Support;

/// <summary>
/// One Azurite Table service for the whole test run. Uses the connection string in
/// <c>FUNCSECRETS_TEST_STORAGE</c> when set; otherwise starts the repository's pinned Azurite
/// in memory (<see cref="AzuriteServer"/>) and kills it on dispose. A fixture that cannot get a
/// server fails: integration tests never skip.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "FUNCSECRETS_TEST_STORAGE";

    /// <summary>Azurite's well-known development account key (public).</summary>
    public const string DevelopmentAccountKey = AzuriteServer.DevelopmentAccountKey;

    private AzuriteServer? _server;

    /// <summary>An account-key connection string for the running Table service.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>
    /// A table name unique to this run and caller (Table names: letters and digits, 3-63, starting
    /// with a letter), so test classes sharing the one Azurite never see each other's rows.
    /// </summary>
    public static string UniqueTableName(string prefix)
    {
        // "t" + at most 20 + 32 characters: always within the 63-character limit.
        var letters = new string(prefix.Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        return $"t{letters}{Guid.NewGuid():N}";
    }

    /// <inheritdoc cref="AzuriteServer.FindRepositoryRoot"/>
    public static string FindRepositoryRoot() => AzuriteServer.FindRepositoryRoot();

    /// <inheritdoc cref="AzuriteServer.FreePort"/>
    public static int FreePort() => AzuriteServer.FreePort();

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        _server = await AzuriteServer.StartAsync();
        ConnectionString = _server.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
