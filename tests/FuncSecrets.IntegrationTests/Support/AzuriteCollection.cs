namespace FuncSecrets.IntegrationTests.Support;

/// <summary>
/// Every integration test class that needs Table Storage joins this collection, so the run shares
/// one Azurite. Classes keep apart by table name (<see cref="AzuriteFixture.UniqueTableName"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
