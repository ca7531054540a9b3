namespace FuncSecrets.EndToEndTests.Replication;

/// <summary>
/// The replication tests start two more servers and two more Azurites: they run alone, after the
/// other collections, so their load does not push the other fixtures' storage calls past their
/// 2 s budget on a small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicationCollection : ICollectionFixture<ReplicationFixture>
{
    public const string Name = "Replication";
}
