using System.Net;
using System.Text.RegularExpressions;
using FuncSecrets.Host.WebConsole;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Console;

/// <summary>
/// The web console's files (issue 16): served from the assembly with the security headers on
/// every answer, nothing outside the console's own folder, and nothing at all when switched off.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleEndpointTests(AzuriteFixture azurite)
{
    private static readonly string[] Assets = ["index.html", "app.js", "api.js", "sigv4.js", "dom.js", "list.js", "detail.js", "manage.js", "value.js", "create.js", "audit.js", "console.css", "icon.svg"];

    [Fact]
    public async Task ConsolePage_Get_HasEverySecurityHeader()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        using var response = await api.Client.GetAsync("/console/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        AssertSecurityHeaders(response);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("require-trusted-types-for 'script'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"funcsecrets-region\" content=\"us-east-1\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleAssets_Get_ServedFromTheAssemblyWithTheirTypesAndHeaders()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        foreach (var asset in Assets)
        {
            using var response = await api.Client.GetAsync("/console/" + asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, asset);
            var expected = Path.GetExtension(asset) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "text/html; charset=utf-8",
            };
            Assert.Equal(expected, response.Content.Headers.ContentType!.ToString());
            AssertSecurityHeaders(response);
        }
    }

    [Theory]
    [InlineData("/console/missing.js")]
    [InlineData("/console/..%2fappsettings.json")]
    [InlineData("/console/assets/app.js")]
    [InlineData("/console/FuncSecrets.Host.dll")]
    public async Task ConsolePath_OutsideItsFiles_IsNotFoundWithHeaders(string path)
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task ConsoleRoot_WithoutSlash_RedirectsToTheFolder()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        using var response = await api.Client.GetAsync("/console");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ConsolePage_Post_IsMethodNotAllowed()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        using var response = await api.Client.PostAsync("/console/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Console_SwitchedOff_IsNotServed()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console", new Dictionary<string, string?> { ["FuncSecrets:Console:Enabled"] = "false" });
        using var response = await api.Client.GetAsync("/console/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UnknownOperationException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task ApiAnswer_AnyOperation_IsNeverStoredByACache()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "console");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "secretsmanager.GetRandomPassword");
        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());

        using var query = await api.Client.GetAsync("/?Action=GetRandomPassword&Version=2017-10-17");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("no-store", query.Headers.CacheControl!.ToString());
    }

    /// <summary>
    /// The console's own code never reaches for an HTML sink, eval, persistent storage or the
    /// console log, and the page has no inline script, style or handler: the CSP would block
    /// them, and a value must never go there in the first place.
    /// </summary>
    [Fact]
    public void ConsoleSources_NoHtmlSinkEvalStorageOrLogging()
    {
        var folder = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "src", "FuncSecrets.Host", "WebConsole", "assets");
        foreach (var file in Directory.GetFiles(folder, "*.js"))
        {
            var code = File.ReadAllText(file);
            foreach (var banned in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage.setItem", "console.log", "console.error", "console.warn", "console.info", "console.debug", "setTimeout('", "DOMParser" })
            {
                Assert.False(code.Contains(banned, StringComparison.Ordinal), $"{Path.GetFileName(file)} uses {banned}");
            }
        }

        var html = File.ReadAllText(Path.Combine(folder, "index.html"));
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("\\son[a-z]+\\s*=|\\sstyle\\s*=|<style", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), html);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(ConsoleEndpoint.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing");
}
