using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using FuncSecrets.Host.Protocol;

namespace FuncSecrets.UnitTests.Protocol;

/// <summary>
/// Checks the dispatch table against botocore's service model (secretsmanager 2017-10-17), read
/// from the botocore that the end-to-end tests use, so the two cannot disagree.
/// </summary>
public class ServiceModelConsistencyTests
{
    private static readonly Lazy<JsonDocument> Model = new(LoadModel);

    private static JsonDocument LoadModel()
    {
        var start = new ProcessStartInfo("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var folder = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        var path = Path.Combine(folder, "data", "secretsmanager", "2017-10-17", "service-2.json");
        if (File.Exists(path))
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }

        using var gzip = new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }

    private static JsonElement.ObjectEnumerator ModelOperations() =>
        Model.Value.RootElement.GetProperty("operations").EnumerateObject();

    [Fact]
    public void OperationTable_HasEveryOperationOfTheModel()
    {
        var missing = ModelOperations().Select(o => o.Name).Where(name => !OperationTable.Operations.ContainsKey(name)).ToList();

        Assert.True(missing.Count == 0, "not in the table: " + string.Join(", ", missing));
        Assert.Equal(23, ModelOperations().Count());
    }

    [Fact]
    public void OperationTable_HasNoOperationOutsideTheModel()
    {
        var known = ModelOperations().Select(o => o.Name).ToHashSet();

        Assert.All(OperationTable.Operations.Keys, name => Assert.Contains(name, known));
    }

    [Fact]
    public void RequestShapes_MatchTheModelMembers()
    {
        var shapes = Model.Value.RootElement.GetProperty("shapes");
        foreach (var operation in ModelOperations())
        {
            if (!OperationTable.Operations.TryGetValue(operation.Name, out var entry))
            {
                continue;
            }

            var inputShape = operation.Value.GetProperty("input").GetProperty("shape").GetString()!;
            var modelMembers = shapes.GetProperty(inputShape).GetProperty("members").EnumerateObject().Select(m => m.Name).ToHashSet();
            var ourMembers = entry.RequestInfo.Properties.Select(p => p.Name).ToHashSet();

            Assert.True(modelMembers.SetEquals(ourMembers), $"{operation.Name}: model has [{string.Join(", ", modelMembers.Order())}], we have [{string.Join(", ", ourMembers.Order())}]");
        }
    }

    [Fact]
    public void ResponseShapes_HaveOnlyModelMembers()
    {
        var shapes = Model.Value.RootElement.GetProperty("shapes");
        foreach (var operation in ModelOperations())
        {
            if (!OperationTable.Operations.TryGetValue(operation.Name, out var entry) || !operation.Value.TryGetProperty("output", out var output))
            {
                continue;
            }

            var modelMembers = shapes.GetProperty(output.GetProperty("shape").GetString()!).GetProperty("members").EnumerateObject().Select(m => m.Name).ToHashSet();
            var extra = entry.ResponseInfo.Properties.Select(p => p.Name).Where(n => !modelMembers.Contains(n)).ToList();

            Assert.True(extra.Count == 0, $"{operation.Name}: not in the model: {string.Join(", ", extra)}");
        }
    }
}
