namespace FuncSecrets.EndToEndTests.Support;

/// <summary>Every end-to-end test class joins this collection: one service and one Azurite for all.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "EndToEnd";
}
