using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The isolated worker as <c>dotnet build</c> leaves it (src/FuncSecrets.Functions/bin/{configuration}/net10.0):
/// what <c>func start</c> runs in that project and what <c>dotnet publish</c> packages. The test
/// project's build builds it first (a project reference without the assembly).
/// </summary>
internal static class WorkerBuild
{
    public const string AssemblyFileName = "FuncSecrets.Functions.dll";

    public static string Directory { get; } = Locate();

    public static string AssemblyPath => Path.Combine(Directory, AssemblyFileName);

    /// <summary>The function metadata the SDK writes at build time, which the host reads to index the functions.</summary>
    public static JsonArray Metadata() => ReadJson("functions.metadata").AsArray();

    public static JsonNode ReadJson(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, file)))!;

    private static string Locate()
    {
        // bin/{configuration}/net10.0/ of this test project: the worker is built with the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var directory = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "src", "FuncSecrets.Functions", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(directory, "functions.metadata"))
            ? directory
            : throw new InvalidOperationException($"{directory} has no functions.metadata: build the test project (it builds the worker).");
    }
}
