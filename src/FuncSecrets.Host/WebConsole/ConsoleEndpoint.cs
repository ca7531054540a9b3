namespace FuncSecrets.Host.WebConsole;

/// <summary>
/// Serves the web console (issue 16) at <c>/console</c>: static, embedded files with a strict
/// Content-Security-Policy. The console holds no session and no server-side state: the browser
/// signs every API call itself (SigV4, WebCrypto) with the key the user typed in.
/// </summary>
public sealed class ConsoleEndpoint(ConsoleAssets assets, ConsoleOptions options)
{
    public const string BasePath = "/console";

    /// <summary>
    /// Scripts and styles only from this origin, never inline or eval'd; calls only to this
    /// origin; no framing, plugins, forms or base-URL tricks. Trusted Types with no policy make
    /// every HTML-parsing sink (<c>innerHTML</c> and the like) throw, so nothing a secret holds
    /// can be parsed as markup even by mistake.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
        "require-trusted-types-for 'script'; trusted-types 'none'";

    /// <summary>Handles paths under <c>/console</c> when the console is on; false for anything else.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? string.Empty;
        if (!options.Enabled || !(path == BasePath || path.StartsWith(BasePath + "/", StringComparison.Ordinal)))
        {
            return false;
        }

        var response = context.Response;
        AddSecurityHeaders(response.Headers);
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return true;
        }

        if (path == BasePath)
        {
            // Relative asset URLs resolve against /console/, so the page lives there.
            response.StatusCode = StatusCodes.Status301MovedPermanently;
            response.Headers.Location = BasePath + "/";
            return true;
        }

        var name = path[(BasePath.Length + 1)..];
        var asset = name.Length == 0 ? assets.Find(ConsoleAssets.IndexName) : name.Contains('/', StringComparison.Ordinal) ? null : assets.Find(name);
        if (asset is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("Not found.", context.RequestAborted);
            return true;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        if (HttpMethods.IsGet(method))
        {
            await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
        }

        return true;
    }

    public static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    }
}
