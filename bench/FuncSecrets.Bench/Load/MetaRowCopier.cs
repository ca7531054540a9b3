using Azure.Data.Tables;

namespace FuncSecrets.Bench.Load;

/// <summary>
/// Seeds many secrets fast: one secret's metadata row, exactly as the service wrote it, inserted
/// again under other names (plain inserts, 64 in flight). The copies list, describe and index like
/// real secrets; only their sealed values would not open (the AES-GCM associated data names the
/// original), and nothing in the benchmark reads them. Names must be their own partition keys
/// (letters, digits and '-' are kept as they are).
/// </summary>
public static class MetaRowCopier
{
    private const int Parallelism = 64;

    public static async Task CopyAsync(RawTableClient table, string templateName, IReadOnlyList<string> names)
    {
        var template = await table.TryReadForCopyAsync(templateName, "meta") ?? throw new InvalidOperationException($"The template secret {templateName} is missing.");
        if (template.GetString("Name") != templateName)
        {
            throw new InvalidOperationException($"{templateName}'s partition does not hold its metadata row as expected.");
        }

        await ApiClient.ForEachAsync(names.Count, Parallelism, async i =>
        {
            var copy = new TableEntity(template)
            {
                PartitionKey = names[i],
                ["Name"] = names[i],
            };
            await table.InsertAsync(copy);
        });
    }
}
