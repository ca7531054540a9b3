using System.Collections.Frozen;
using System.Net;
using System.Text;

namespace FuncSecrets.Host.WebConsole;

/// <summary>
/// The console's files, embedded in this assembly (<c>Console/assets</c>): nothing is read from
/// disk or a CDN at run time. <c>index.html</c> gets the region the browser must sign for.
/// </summary>
public sealed class ConsoleAssets
{
    private const string ResourcePrefix = "console/";
    private const string RegionPlaceholder = "{{region}}";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, ConsoleAsset> _assets;

    public ConsoleAssets(string region)
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            if (name == IndexName)
            {
                bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(RegionPlaceholder, WebUtility.HtmlEncode(region), StringComparison.Ordinal));
            }

            assets[name] = new ConsoleAsset(bytes, contentType);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public const string IndexName = "index.html";

    /// <summary>The file of that name (no folders), or null.</summary>
    public ConsoleAsset? Find(string name) => _assets.GetValueOrDefault(name);
}

/// <summary>One file as it is sent.</summary>
public sealed record ConsoleAsset(byte[] Bytes, string ContentType);
